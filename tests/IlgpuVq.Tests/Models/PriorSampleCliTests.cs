using IlgpuVq.Cli;
using SkiaSharp;

namespace IlgpuVq.Tests.Models;

/// <summary>
/// <c>sample</c> and <c>bench sample</c> end to end on a tiny trained VQ-VAE and prior: per-sample files at the model's image size
/// named by class and index, the same images for any <c>--batch</c> and for both samplers, clear errors for bad options.
/// </summary>
public class PriorSampleCliTests : IDisposable
{
    readonly string dir = Directory.CreateTempSubdirectory("ilgpuvq-sample-").FullName;
    public void Dispose() => Directory.Delete(dir, recursive: true);

    string P(string name) => Path.Combine(dir, name);

    string[] Sample(string outDir, params string[] extra) =>
        ["sample", "--vqvae", P("vq"), "--prior", P("prior"), "--count", "5", "--seed", "3", "--out", P(outDir), "--device", "cpu", .. extra];

    static Dictionary<string, byte[]> Files(string folder) =>
        Directory.GetFiles(folder, "*_*.png").ToDictionary(Path.GetFileName, File.ReadAllBytes)!; // the samples, not the grid samples.png

    [Fact]
    public void SampleStreamsOneImageFilePerSampleTheSameForAnyBatchAndSampler()
    {
        Assert.Equal(0, CliApp.Run(["train", "vqvae", "--preset", "demo", "--data", "synthetic:40:16", "--epochs", "1", "--batch-size", "8", "--device", "cpu",
            "--test-size", "8", "--num-codes", "8", "--embedding-dim", "4", "--cache-dir", Path.GetTempPath(), "--out", P("vq")]));
        Assert.Equal(0, CliApp.Run(["train", "prior", "--vqvae", P("vq"), "--out", P("prior"), "--epochs", "1", "--layers", "2", "--channels", "8",
            "--head-channels", "8", "--batch-size", "8", "--device", "cpu"]));

        Assert.Equal(0, CliApp.Run(Sample("one", "--batch-size", "5")));
        Assert.Equal(0, CliApp.Run(Sample("batched", "--batch-size", "2")));
        Assert.Equal(0, CliApp.Run(Sample("naive", "--batch", "3", "--sampler", "naive"))); // --batch: the old name of --batch-size
        var one = Files(P("one"));
        Assert.Equal(5, one.Count);
        Assert.Equal(one.Keys.Order(), Files(P("batched")).Keys.Order());
        foreach (var (name, bytes) in Files(P("batched"))) Assert.Equal(one[name], bytes);
        foreach (var (name, bytes) in Files(P("naive"))) Assert.Equal(one[name], bytes);
        Assert.True(File.Exists(P("one/samples.png")));
        foreach (var name in one.Keys)
        {
            Assert.Matches(@"^[a-z]+_\d{4}\.png$", name);
            using var bitmap = SKBitmap.Decode(Path.Combine(P("one"), name));
            Assert.Equal((16, 16), (bitmap.Width, bitmap.Height));
        }
        Assert.Equal(Enumerable.Range(0, 5).Select(i => $"_{i:D4}.png"), one.Keys.Select(k => k[k.IndexOf('_')..]).Order());

        // Bad input: clear errors (exit code 2) before any work.
        Assert.Equal(2, CliApp.Run(Sample("bad", "--sampler", "fast")));
        Assert.Equal(2, CliApp.Run(Sample("bad", "--batch-size", "0")));
        Assert.Equal(2, CliApp.Run(Sample("bad", "--guidance", "2"))); // trained without --label-dropout: no null class to guide with
        Assert.Equal(2, CliApp.Run(["sample", "--vqvae", P("vq"), "--prior", P("prior"), "--device", "cpu"]));
        Assert.False(Directory.Exists(P("bad")));
    }

    [Fact]
    public void BenchSampleTimesBothSamplersOnTheSameCodes()
    {
        var output = new StringWriter();
        var old = Console.Out;
        Console.SetOut(output);
        try { Assert.Equal(0, CliApp.Run(["bench", "sample", "--preset", "demo", "--count", "2", "--grid", "3", "--device", "cpu"])); }
        finally { Console.SetOut(old); }
        var text = output.ToString();
        Assert.Contains("positions/s", text);
        Assert.Contains("images/s", text);
        Assert.Contains("speed-up of cached over naive", text);
        Assert.Contains("identical codes", text);
        Assert.Equal(2, CliApp.Run(["bench", "sample", "--sampler", "slow", "--device", "cpu"]));
        Assert.Equal(2, CliApp.Run(["bench", "sample", "--count", "0", "--device", "cpu"]));
    }
}
