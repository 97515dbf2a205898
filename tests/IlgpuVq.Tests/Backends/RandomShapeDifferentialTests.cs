using IlgpuVq.Checks;
using IlgpuVq.Engine.Devices;
using IlgpuVq.Engine.Ops;

namespace IlgpuVq.Tests.Backends;

/// <summary>
/// Random shapes (seeded) through the native backend and ILGPU's CPU simulator: convolutions (odd sizes, strides 1–2,
/// asymmetric padding, batch 1–3, channel counts that are no tile multiple), transposed and masked convolutions, GEMM with
/// transposes, nearest-code search and cross-entropy. Forward values and input gradients must agree within the stated
/// tolerances (float32 with different summation orders: abs 1e-4 + rel 1e-3 forward, 2e-4 + 2e-3 for gradients).
/// </summary>
public class RandomShapeDifferentialTests
{
    static readonly Tolerance Fwd = new(1e-4, 1e-3), Grad = new(2e-4, 2e-3);

    public static IEnumerable<object[]> Seeds() => Enumerable.Range(1, 12).Select(s => new object[] { s });

    static CheckInput Input(Random rng, string name, int[] shape, bool grad = true) =>
        new(name, shape, Enumerable.Range(0, shape.Aggregate(1, (a, b) => a * b)).Select(_ => rng.NextDouble() * 2 - 1).ToArray(), grad);

    static GradCase Case(string op, string shapes, CheckInput[] inputs, Func<IlgpuVq.Engine.Tensors.Tensor[], IlgpuVq.Engine.Tensors.Tensor> engine, bool grads = true) => new()
    {
        Op = op, Shapes = shapes, Inputs = inputs, Engine = engine, CheckGradients = grads,
        Reference = _ => throw new InvalidOperationException("differential cases compare two devices, not a reference"),
        ForwardTolerance = Fwd, GradientTolerance = Grad,
    };

    static void Agree(GradCase c)
    {
        var failure = BackendAgreement.Compare(c, DeviceCatalog.Open("cpu"), DeviceCatalog.Open("cpu-sim"));
        Assert.True(failure == null, failure);
    }

    [Theory]
    [MemberData(nameof(Seeds))]
    public void Conv2d(int seed)
    {
        var rng = new Random(seed);
        int n = rng.Next(1, 4), cin = rng.Next(1, 20), cout = rng.Next(1, 20), kh = rng.Next(1, 5), kw = rng.Next(1, 5);
        int sh = rng.Next(1, 3), sw = rng.Next(1, 3);
        var pad = new Padding2d(rng.Next(0, 3), rng.Next(0, 3), rng.Next(0, 3), rng.Next(0, 3));
        int h = rng.Next(Math.Max(1, kh - pad.Top - pad.Bottom), 14), w = rng.Next(Math.Max(1, kw - pad.Left - pad.Right), 14);
        bool bias = rng.Next(2) == 0;
        var inputs = new List<CheckInput> { Input(rng, "x", [n, cin, h, w]), Input(rng, "w", [cout, cin, kh, kw]) };
        if (bias) inputs.Add(Input(rng, "b", [cout]));
        Agree(Case("conv2d", $"x[{n},{cin},{h},{w}] w[{cout},{cin},{kh},{kw}] s{sh},{sw} {pad} bias={bias}", inputs.ToArray(),
            t => IlgpuVq.Engine.Ops.Conv2d.Apply(t[0], t[1], bias ? t[2] : null, sh, sw, pad)));
    }

    [Theory]
    [MemberData(nameof(Seeds))]
    public void ConvTranspose2d(int seed)
    {
        var rng = new Random(seed);
        int n = rng.Next(1, 4), cin = rng.Next(1, 20), cout = rng.Next(1, 20), k = rng.Next(1, 5), s = rng.Next(1, 3), p = rng.Next(0, k);
        int h = rng.Next(1, 10), w = rng.Next(1, 10);
        if ((h - 1) * s - 2 * p + k < 1 || (w - 1) * s - 2 * p + k < 1) p = 0;
        bool bias = rng.Next(2) == 0;
        var inputs = new List<CheckInput> { Input(rng, "x", [n, cin, h, w]), Input(rng, "w", [cin, cout, k, k]) };
        if (bias) inputs.Add(Input(rng, "b", [cout]));
        Agree(Case("conv_transpose2d", $"x[{n},{cin},{h},{w}] w[{cin},{cout},{k},{k}] s{s} p{p} bias={bias}", inputs.ToArray(),
            t => IlgpuVq.Engine.Ops.ConvTranspose2d.Apply(t[0], t[1], bias ? t[2] : null, s, p)));
    }

    [Theory]
    [MemberData(nameof(Seeds))]
    public void MaskedConv2d(int seed)
    {
        var rng = new Random(seed);
        int n = rng.Next(1, 3), cin = rng.Next(1, 12), cout = rng.Next(1, 12), k = 2 * rng.Next(1, 4) + 1, h = rng.Next(1, 9), w = rng.Next(1, 9);
        var type = rng.Next(2) == 0 ? MaskType.A : MaskType.B;
        var inputs = new[] { Input(rng, "x", [n, cin, h, w]), Input(rng, "w", [cout, cin, k, k]), Input(rng, "b", [cout]) };
        Agree(Case("masked_conv2d", $"x[{n},{cin},{h},{w}] k{k} {type}", inputs, t =>
        {
            var mask = IlgpuVq.Engine.Ops.MaskedConv2d.BuildMask(t[0].Device, MaskKind.Full, type, k, k, cout, cin);
            return IlgpuVq.Engine.Ops.MaskedConv2d.Apply(t[0], t[1], mask, t[2], Padding2d.Same(k / 2));
        }));
    }

    [Theory]
    [MemberData(nameof(Seeds))]
    public void Gemm(int seed)
    {
        var rng = new Random(seed);
        int m = rng.Next(1, 70), n = rng.Next(1, 70), k = rng.Next(1, 70);
        bool ta = rng.Next(2) == 0, tb = rng.Next(2) == 0;
        var inputs = new[] { Input(rng, "a", ta ? [k, m] : [m, k]), Input(rng, "b", tb ? [n, k] : [k, n]) };
        Agree(Case("gemm", $"m{m} n{n} k{k} ta={ta} tb={tb}", inputs, t => IlgpuVq.Engine.Ops.Gemm.Apply(t[0], t[1], ta, tb)));
        Agree(Case("gemm_naive", $"m{m} n{n} k{k} ta={ta} tb={tb}", inputs, t => IlgpuVq.Checks.Variants.NaiveGemm.Apply(t[0], t[1], ta, tb)));
    }

    /// <summary>Nearest-code indices must be identical (both backends form the same float distances in the same order).</summary>
    [Theory]
    [MemberData(nameof(Seeds))]
    public void NearestCodeIndicesAreIdentical(int seed)
    {
        var rng = new Random(seed);
        int b = rng.Next(1, 4), d = rng.Next(1, 70), h = rng.Next(1, 9), w = rng.Next(1, 9), k = rng.Next(1, 300);
        var z = Input(rng, "z", [b, d, h, w], grad: false);
        var e = Input(rng, "e", [k, d], grad: false);
        var c = Case("nearest_code", $"z[{b},{d},{h},{w}] K{k}", [z, e], t => Codebook.NearestNchw(t[0], t[1]).Indices, grads: false);
        var native = BackendAgreement.Run(c, DeviceCatalog.Open("cpu")).Output;
        var sim = BackendAgreement.Run(c, DeviceCatalog.Open("cpu-sim")).Output;
        Assert.Equal(sim, native);
    }

    [Theory]
    [MemberData(nameof(Seeds))]
    public void CrossEntropy(int seed)
    {
        var rng = new Random(seed);
        int b = rng.Next(1, 4), k = rng.Next(2, 40), h = rng.Next(1, 8), w = rng.Next(1, 8);
        var logits = Input(rng, "logits", [b, k, h, w]);
        var targets = new CheckInput("targets", [b, h, w], Enumerable.Range(0, b * h * w).Select(_ => (double)rng.Next(k)).ToArray(), false, IsInt: true);
        Agree(Case("cross_entropy", $"[{b},{k},{h},{w}]", [logits, targets], t => IlgpuVq.Engine.Ops.CrossEntropy.Mean(t[0], t[1])));
    }
}
