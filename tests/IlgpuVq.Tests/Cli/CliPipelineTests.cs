using IlgpuVq.Cli;
using IlgpuVq.Cli.Commands;

namespace IlgpuVq.Tests.Cli;

/// <summary>The command line end to end on tiny synthetic data: every artifact is written, bad input gets exit code 2.</summary>
public class CliPipelineTests : IDisposable
{
    readonly string dir = Directory.CreateTempSubdirectory("ilgpuvq-cli-").FullName;
    public void Dispose() => Directory.Delete(dir, recursive: true);

    string P(string name) => Path.Combine(dir, name);

    static string[] TinyVqVae(int codes = 8) =>
        ["--preset", "demo", "--data", "synthetic:40:16", "--epochs", "1", "--batch-size", "8", "--device", "cpu", "--test-size", "8",
         "--num-codes", codes.ToString(), "--embedding-dim", "4", "--cache-dir", Path.GetTempPath()];

    static readonly string[] TinyPrior = ["--epochs", "1", "--layers", "1", "--channels", "8", "--head-channels", "8", "--batch-size", "8", "--device", "cpu"];

    [Fact]
    public void TrainVqVaeThenPriorThenSampleWritesEveryArtifact()
    {
        Assert.Equal(0, CliApp.Run(["train", "vqvae", .. TinyVqVae(), "--out", P("vq")]));
        foreach (var f in new[] { "config.json", "metrics.jsonl", "metrics.csv", "split.csv", "plots/losses.png", "recon/epoch_0001.png",
                     "checkpoints/epoch_0001/model.safetensors", "checkpoints/epoch_0001/train_state.safetensors", "checkpoints/best/model.safetensors",
                     "test_metrics.json", "test_reconstructions.png" })
            Assert.True(File.Exists(Path.Combine(P("vq"), f)), $"train vqvae did not write {f}");

        Assert.Equal(0, CliApp.Run(["train", "prior", "--vqvae", P("vq"), "--out", P("prior"), .. TinyPrior]));
        foreach (var f in new[] { "config.json", "metrics.csv", "plots/losses.png", "codes.safetensors", "samples/epoch_0001.png", "checkpoints/best/model.safetensors" })
            Assert.True(File.Exists(Path.Combine(P("prior"), f)), $"train prior did not write {f}");

        // --out is a folder: the grid samples.png and one PNG per sample.
        Assert.Equal(0, CliApp.Run(["sample", "--vqvae", P("vq"), "--prior", P("prior"), "--count", "5", "--class", "mel", "--seed", "3", "--out", P("a"), "--device", "cpu"]));
        Assert.Equal(5, Directory.GetFiles(P("a"), "mel_*.png").Length);
        // The old spellings (one release): --out FILE.png is the grid alone, --out-dir the single samples.
        Assert.Equal(0, CliApp.Run(["sample", "--vqvae", P("vq"), "--prior", P("prior"), "--count", "5", "--class", "mel", "--seed", "3",
            "--out", P("b.png"), "--out-dir", P("each"), "--device", "cpu"]));
        Assert.Equal(File.ReadAllBytes(P("a/samples.png")), File.ReadAllBytes(P("b.png")));
        Assert.Equal(Directory.GetFiles(P("a"), "mel_*.png").Order().Select(f => File.ReadAllBytes(f)), Directory.GetFiles(P("each"), "*.png").Order().Select(f => File.ReadAllBytes(f)));

        Assert.Equal(0, CliApp.Run(["reconstruct", "--vqvae", P("vq"), "--data", "synthetic:40:16", "--test-size", "8", "--out", P("r"), "--device", "cpu"]));
        Assert.True(File.Exists(P("r/reconstructions_test.png")) && File.Exists(P("r/reconstructions_test.json")));
        // The old spelling: --checkpoint for --vqvae, --out FILE.png with FILE.json beside it.
        Assert.Equal(0, CliApp.Run(["reconstruct", "--checkpoint", P("vq"), "--data", "synthetic:40:16", "--test-size", "8", "--out", P("r/recon.png"), "--device", "cpu"]));
        Assert.Equal(File.ReadAllText(P("r/reconstructions_test.json")), File.ReadAllText(P("r/recon.json")));

        // Bad input: clear errors (exit code 2) before any work.
        Assert.Equal(2, CliApp.Run(["sample", "--vqvae", P("vq"), "--prior", P("prior"), "--class", "melanoma", "--out", P("x.png"), "--device", "cpu"]));
        Assert.Equal(2, CliApp.Run(["sample", "--vqvae", P("vq"), "--prior", P("prior"), "--temperature", "0", "--out", P("x.png"), "--device", "cpu"]));
        Assert.Equal(2, CliApp.Run(["sample", "--vqvae", P("vq"), "--prior", P("prior"), "--count", "0", "--out", P("x.png"), "--device", "cpu"]));
        Assert.Equal(2, CliApp.Run(["sample", "--vqvae", P("prior"), "--prior", P("vq"), "--out", P("x.png"), "--device", "cpu"]));
        Assert.Equal(2, CliApp.Run(["train", "vqvae", .. TinyVqVae(), "--out", P("vq")])); // would overwrite a run
        Assert.False(File.Exists(P("x.png")));

        // A VQ-VAE with another K does not belong with this prior.
        Assert.Equal(0, CliApp.Run(["train", "vqvae", .. TinyVqVae(codes: 9), "--out", P("vq9")]));
        var error = new StringWriter();
        var old = Console.Error;
        Console.SetError(error);
        try { Assert.Equal(2, CliApp.Run(["sample", "--vqvae", P("vq9"), "--prior", P("prior"), "--out", P("x.png"), "--device", "cpu"])); }
        finally { Console.SetError(old); }
        Assert.Contains("do not belong together", error.ToString());
        Assert.Contains("K=8", error.ToString());
    }

    [Fact]
    public void InvalidOptionsFailBeforeAnyWork()
    {
        Assert.Equal(2, CliApp.Run(["train", "vqvae", "--out", P("a"), "--num-codes", "1", "--device", "cpu"]));
        Assert.Equal(2, CliApp.Run(["train", "vqvae", "--out", P("a"), "--image-size", "30", "--device", "cpu"]));
        Assert.Equal(2, CliApp.Run(["train", "vqvae", "--out", P("a"), "--resume", "--device", "cpu"]));
        Assert.Equal(2, CliApp.Run(["train", "vqvae", "--out", P("a"), "--device", "tpu:3"]));
        Assert.Equal(2, CliApp.Run(["gradcheck", "--op", "nope", "--device", "cpu"]));
        Assert.False(Directory.Exists(P("a")));
    }

    [Fact]
    public void DemoWritesASummaryListingEveryArtifact()
    {
        DemoCommand.Run(TestDevices.Get("cpu"), P("demo"), DemoPlan.Tiny, seed: 0);
        var summary = File.ReadAllText(P("demo/summary.md"));
        foreach (var f in new[] { "data/class_distribution.png", "data/augmented_grid.png", "vqvae/plots/losses.png", "vqvae/recon/epoch_0001.png",
                     "vqvae/test_metrics.json", "prior/plots/losses.png", "samples.png", "classifier/confusion_matrix.png", "classifier/test_metrics.json",
                     "evaluation/evaluation.json", "evaluation/nearest.png" })
        {
            Assert.True(File.Exists(Path.Combine(P("demo"), f)), $"demo did not write {f}");
            Assert.Contains(f, summary);
        }
        Assert.Contains("PSNR", summary);
        foreach (var metric in new[] { "Fréchet distance", "KID", "precision", "recall", "class consistency", "memorisation", "Hamming" })
            Assert.Contains(metric, summary);
        // The plan's guidance reaches the evaluation (the tiny plan's prior has the demo preset's label dropout).
        using (var evaluation = System.Text.Json.JsonDocument.Parse(File.ReadAllText(P("demo/evaluation/evaluation.json"))))
            Assert.Equal(DemoPlan.Tiny.Guidance, (float)evaluation.RootElement.GetProperty("guidance").GetDouble());
        if (IlgpuVq.Models.Prior.PriorSampling.Guided(DemoPlan.Tiny.Guidance)) Assert.Contains("classifier-free guidance", summary);
        Assert.Throws<UserError>(() => DemoCommand.Run(TestDevices.Get("cpu"), P("demo"), DemoPlan.Tiny, seed: 0));
    }
}
