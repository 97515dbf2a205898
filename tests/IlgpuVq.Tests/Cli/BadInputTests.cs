using IlgpuVq.Cli;

namespace IlgpuVq.Tests.Cli;

/// <summary>Every command, given a representative bad input, exits with 2 after one <c>error:</c> line on stderr, and prints
/// no stack trace (the parser's errors go the same way as the commands' own).</summary>
[Collection(nameof(IlgpuVq.Tests.Backends.ProfilerCollection))] // redirects the process-wide console
public sealed class BadInputTests : IDisposable
{
    readonly string dir = Directory.CreateTempSubdirectory("ilgpuvq-bad-").FullName;

    public BadInputTests()
    {
        File.WriteAllText(P("keep.txt"), "a folder that is not empty");
        Directory.CreateDirectory(P("broken/checkpoints/epoch_0001")); // a run folder whose config.json was cut short
        File.WriteAllText(P("broken/config.json"), "{ \"data\": ");
        File.WriteAllText(P("broken/split.csv"), "");
    }

    public void Dispose() => Directory.Delete(dir, recursive: true);

    string P(string name) => Path.Combine(dir, name);

    public static IEnumerable<object[]> Commands() => new[]
    {
        new object[] { "demo (existing --out)", new[] { "demo", "--out", "{dir}" } },
        ["data stats (missing data)", new[] { "data", "stats", "--data", "{dir}/none", "--out", "{dir}/stats" }],
        ["data synth (count 0)", new[] { "data", "synth", "--count", "0", "--out", "{dir}/synth" }],
        ["train vqvae (1 code)", new[] { "train", "vqvae", "--out", "{dir}/a", "--num-codes", "1", "--device", "cpu" }],
        ["train vqvae (preset)", new[] { "train", "vqvae", "--out", "{dir}/a", "--preset", "tiny" }],
        ["train prior (missing VQ-VAE)", new[] { "train", "prior", "--vqvae", "{dir}/none", "--out", "{dir}/p", "--device", "cpu" }],
        ["train prior (broken VQ-VAE run)", new[] { "train", "prior", "--vqvae", "{dir}/broken", "--out", "{dir}/p", "--device", "cpu" }],
        ["train vqvae (resume a broken run)", new[] { "train", "vqvae", "--resume", "--out", "{dir}/broken", "--device", "cpu" }],
        ["train classifier (0 epochs)", new[] { "train", "classifier", "--out", "{dir}/c", "--epochs", "0", "--device", "cpu" }],
        ["train classifier (seed)", new[] { "train", "classifier", "--out", "{dir}/c", "--seed", "1.5" }],
        ["evaluate (missing runs)", new[] { "evaluate", "--vqvae", "{dir}/none", "--prior", "{dir}/none", "--out", "{dir}/e", "--device", "cpu" }],
        ["evaluate (count)", new[] { "evaluate", "--vqvae", "{dir}/none", "--prior", "{dir}/none", "--out", "{dir}/e", "--count", "1" }],
        ["sample (sampler)", new[] { "sample", "--vqvae", "{dir}/none", "--prior", "{dir}/none", "--out", "{dir}/s", "--sampler", "fast" }],
        ["sample (no --out)", new[] { "sample", "--vqvae", "{dir}/none", "--prior", "{dir}/none", "--device", "cpu" }],
        ["reconstruct (no --vqvae)", new[] { "reconstruct", "--out", "{dir}/r" }],
        ["data synth (--out is a file)", new[] { "data", "synth", "--count", "2", "--out", "{dir}/keep.txt" }],
        ["kernels (--out below a file)", new[] { "kernels", "--emit", "opencl", "--out", "{dir}/keep.txt/k" }],
        ["kernels (arch)", new[] { "kernels", "--emit", "ptx", "--arch", "sm_x", "--out", "{dir}/k" }],
        ["bench sample (sampler)", new[] { "bench", "sample", "--sampler", "slow", "--device", "cpu" }],
        ["gradcheck (device kind)", new[] { "gradcheck", "--device", "cud" }],
        ["gradcheck (missing GPU)", new[] { "gradcheck", "--device", "cuda:9" }],
        ["sample (missing runs)", new[] { "sample", "--vqvae", "{dir}/none", "--prior", "{dir}/none", "--out", "{dir}/s", "--device", "cpu" }],
        ["reconstruct (split)", new[] { "reconstruct", "--vqvae", "{dir}/none", "--split", "val", "--out", "{dir}/r" }],
        ["reconstruct (missing run)", new[] { "reconstruct", "--vqvae", "{dir}/none", "--out", "{dir}/r", "--device", "cpu" }],
        ["devices (threads)", new[] { "devices", "--threads", "many" }],
        ["devices (negative threads)", new[] { "devices", "--threads", "-1" }],
        ["gradcheck (op)", new[] { "gradcheck", "--op", "nosuch", "--device", "cpu" }],
        ["kernels (emit)", new[] { "kernels", "--emit", "cuda", "--out", "{dir}/k" }],
        ["bench step (model)", new[] { "bench", "step", "--model", "gan", "--device", "cpu" }],
        ["bench step (preset)", new[] { "bench", "step", "--preset", "huge", "--device", "cpu" }],
        ["bench sample (count)", new[] { "bench", "sample", "--count", "0", "--device", "cpu" }],
        ["profile (steps)", new[] { "profile", "--preset", "demo", "--steps", "0", "--device", "cpu" }],
        ["profile (device)", new[] { "profile", "--preset", "demo", "--device", "nosuch" }],
        ["unknown option", new[] { "bench", "step", "--bogus" }],
        ["no command", Array.Empty<string>()],
    };

    [Theory]
    [MemberData(nameof(Commands))]
    public void BadInputIsOneErrorLineAndExitTwo(string what, string[] args)
    {
        var (stdout, stderr) = (new StringWriter(), new StringWriter());
        var (oldOut, oldError) = (Console.Out, Console.Error);
        Console.SetOut(stdout);
        Console.SetError(stderr);
        int exit;
        try { exit = CliApp.Run(args.Select(a => a.Replace("{dir}", dir)).ToArray()); }
        finally { Console.SetOut(oldOut); Console.SetError(oldError); }
        var errors = stderr.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        Assert.True(exit == 2, $"{what}: exit {exit}; stderr: {stderr}");
        Assert.True(errors.Length == 1 && errors[0].StartsWith("error: ") && errors[0].Length > "error: ".Length + 5, $"{what}: stderr was: {stderr}");
        foreach (var text in new[] { stdout.ToString(), stderr.ToString() })
            Assert.DoesNotContain("   at ", text);
    }

    /// <summary><c>train prior</c> with a batch larger than the VQ-VAE's training code maps: the error names the batch size.</summary>
    [Fact]
    public void PriorBatchLargerThanTheCodeMapsIsAUserError()
    {
        string[] vq = ["train", "vqvae", "--preset", "demo", "--data", "synthetic:24:16", "--epochs", "1", "--batch-size", "8", "--device", "cpu",
            "--test-size", "8", "--num-codes", "8", "--embedding-dim", "4", "--cache-dir", Path.GetTempPath(), "--out", P("vq")];
        Assert.Equal(0, CliApp.Run(vq));
        var stderr = new StringWriter();
        var old = Console.Error;
        Console.SetError(stderr);
        int exit;
        try
        {
            exit = CliApp.Run(["train", "prior", "--vqvae", P("vq"), "--out", P("prior"), "--epochs", "1", "--layers", "1", "--channels", "8",
                "--head-channels", "8", "--batch-size", "64", "--device", "cpu"]);
        }
        finally { Console.SetError(old); }
        Assert.Equal(2, exit);
        Assert.StartsWith("error: batch size 64 is larger than the 16 training code maps", stderr.ToString());
        Assert.DoesNotContain("   at ", stderr.ToString());
    }
}
