// libtorch (TorchSharp-cpu) training-step throughput of the `ref` preset's VQ-VAE and Gated PixelCNN prior, for
// "ours vs libtorch, same machine, same sitting". Usage: TorchBench [ROUNDS] [--model vqvae|prior|both|matmul] [--threads N]
// [--no-ema] [--warmup N] [--steps N]. Output lines start with "libtorch ".
using System.Diagnostics;
using System.Globalization;
using TorchBench;
using TorchSharp;
using static TorchSharp.torch;

CultureInfo.CurrentCulture = CultureInfo.InvariantCulture;
int rounds = 1, threads = 2, warmup = 5, steps = 10, batch = 32;
string which = "both";
bool ema = true;
for (int i = 0; i < args.Length; i++)
{
    string Next() => i + 1 < args.Length ? args[++i] : throw new ArgumentException($"{args[i]} needs a value");
    switch (args[i])
    {
        case "--model": which = Next(); break;
        case "--threads": threads = int.Parse(Next()); break;
        case "--warmup": warmup = int.Parse(Next()); break;
        case "--steps": steps = int.Parse(Next()); break;
        case "--no-ema": ema = false; break;
        case "-h" or "--help":
            Console.WriteLine("usage: TorchBench [ROUNDS] [--model vqvae|prior|both|matmul] [--threads N] [--no-ema] [--warmup N] [--steps N]");
            return 0;
        default:
            if (!int.TryParse(args[i], out rounds) || rounds < 1) { Console.Error.WriteLine($"unknown argument {args[i]}"); return 2; }
            break;
    }
}
if (which is not ("vqvae" or "prior" or "both" or "matmul")) { Console.Error.WriteLine("--model must be vqvae, prior, both or matmul"); return 2; }

torch.set_num_threads(threads);
torch.manual_seed(1);
Console.WriteLine($"libtorch config: torchsharp {typeof(torch).Assembly.GetName().Version}, threads {torch.get_num_threads()}, " +
                  $"interop threads {torch.get_num_interop_threads()}, float32 CPU, batch {batch}, warm-up {warmup}, {rounds} round(s) of {steps} steps" +
                  Env("ATEN_CPU_CAPABILITY") + Env("ONEDNN_MAX_CPU_ISA") + Env("OMP_WAIT_POLICY") + Env("OMP_NUM_THREADS"));

static string Env(string name) => Environment.GetEnvironmentVariable(name) is { Length: > 0 } v ? $", {name}={v}" : "";

if (which == "matmul")
{
    // Plain float32 matrix products (M×K · K×N), the best of 20 after warm-up, for comparing GEMM rates with ours.
    foreach (var (m, k, n) in new[] { (512, 512, 512), (128, 384, 2048), (128, 64, 2048) })
    {
        var a = torch.randn(m, k);
        var bm = torch.randn(k, n);
        for (int s = 0; s < warmup; s++) torch.mm(a, bm).Dispose();
        double best = double.MaxValue;
        for (int r = 0; r < rounds * 20; r++)
        {
            var sw = Stopwatch.StartNew();
            torch.mm(a, bm).Dispose();
            best = Math.Min(best, sw.Elapsed.TotalMilliseconds);
        }
        Console.WriteLine($"libtorch matmul {m}x{k}x{n}: best {best:F3} ms = {2.0 * m * k * n / best / 1e6:F1} GFLOP/s");
    }
    return 0;
}

bool ok = true;
var benches = new List<Bench>();

if (which is "vqvae" or "both")
{
    var model = new VqVae(ema);
    long count = model.parameters().Sum(p => p.numel());
    const long expected = 662_083, expectedNoEma = 662_083 + 512 * 64;
    long want = ema ? expected : expectedNoEma;
    Console.WriteLine($"libtorch vqvae ref: parameters {count:N0} (expected {want:N0}{(count == want ? "" : ", MISMATCH")})" +
                      (ema ? ", EMA codebook [512,64] as a buffer" : ", codebook [512,64] as a parameter (--no-ema)"));
    ok &= count == want;
    var x = torch.randn(batch, 3, 64, 64);
    var opt = torch.optim.AdamW(model.parameters(), lr: 2e-4, weight_decay: 1e-4);
    model.InitCodebook(x);
    benches.Add(new Bench("vqvae", "images", batch, () =>
    {
        using var scope = torch.NewDisposeScope();
        var (loss, _, _, latents, indices) = model.Forward(x);
        loss.backward();
        opt.step();
        opt.zero_grad();
        model.AfterStep(latents, indices);
        return loss.item<float>();
    }));
}

if (which is "prior" or "both")
{
    var model = new GatedPixelCnn();
    long count = model.parameters().Sum(p => p.numel());
    const long expected = 1_856_256;
    Console.WriteLine($"libtorch prior ref: parameters {count:N0} (expected {expected:N0}{(count == expected ? "" : ", MISMATCH")})");
    ok &= count == expected;
    var codes = torch.randint(512, [batch, 16, 16], dtype: ScalarType.Int64);
    var labels = torch.randint(7, [batch], dtype: ScalarType.Int64);
    var opt = torch.optim.AdamW(model.parameters(), lr: 2e-4, weight_decay: 1e-4);
    benches.Add(new Bench("prior", "code maps", batch, () =>
    {
        using var scope = torch.NewDisposeScope();
        var loss = torch.nn.functional.cross_entropy(model.Forward(codes, labels), codes);
        loss.backward();
        opt.step();
        opt.zero_grad();
        return loss.item<float>();
    }));
}

foreach (var b in benches)
    for (int s = 0; s < warmup; s++) b.Run(timed: false);
// Rounds alternate between the models so that a change of load on the machine touches both alike.
for (int r = 0; r < rounds; r++)
    foreach (var b in benches)
        for (int s = 0; s < steps; s++) b.Run(timed: true);

foreach (var b in benches)
{
    var t = b.Times.OrderBy(v => v).ToArray();
    double median = t.Length % 2 == 1 ? t[t.Length / 2] : (t[t.Length / 2 - 1] + t[t.Length / 2]) / 2;
    Console.WriteLine($"libtorch {b.Name} ref: median {median:F1} ms/step = {b.Batch * 1000.0 / median:F1} {b.Unit}/s ({t.Length} steps; " +
                      $"min {t[0]:F1}, mean {t.Average():F1}, max {t[^1]:F1} ms; last loss {b.LastLoss:F4})");
    if (!float.IsFinite(b.LastLoss)) { Console.Error.WriteLine($"{b.Name}: loss is not finite"); ok = false; }
}
return ok ? 0 : 1;

sealed class Bench(string name, string unit, int batch, Func<float> step)
{
    public string Name => name;
    public string Unit => unit;
    public int Batch => batch;
    public List<double> Times { get; } = new();
    public float LastLoss { get; private set; }

    public void Run(bool timed)
    {
        var sw = Stopwatch.StartNew();
        LastLoss = step(); // item() waits for the step's last op (CPU: everything is synchronous anyway)
        sw.Stop();
        if (timed) Times.Add(sw.Elapsed.TotalMilliseconds);
    }
}
