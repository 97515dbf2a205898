using System.Text.Json;
using static IlgpuVq.Tests.Cli.CliRun;

namespace IlgpuVq.Tests.Cli;

/// <summary>
/// Run settings live in the run folder: <c>--resume</c> needs only <c>--out</c> (and a larger <c>--epochs</c>) and continues
/// exactly as an uninterrupted run, an option that differs from the run's is an error listing each difference, and
/// <c>reconstruct</c> evaluates at the trained size on the run's data and split (its MSE is the run's test MSE), refusing
/// another <c>--image-size</c>.
/// </summary>
public class RunSettingsTests : IDisposable
{
    readonly string dir = Directory.CreateTempSubdirectory("ilgpuvq-settings-").FullName;
    public void Dispose() => Directory.Delete(dir, recursive: true);

    string P(string name) => Path.Combine(dir, name);

    // Not the defaults (isic preset, 64 px synthetic, lr 2e-3, ...): a resume that fell back to any default would differ.
    static readonly string[] TinyVqVae = ["--preset", "demo", "--data", "synthetic:40:16", "--batch-size", "8", "--device", "cpu", "--test-size", "8",
        "--num-codes", "8", "--embedding-dim", "4", "--lr", "0.003", "--seed", "5", "--dead-code-window", "3", "--cache-dir", Path.GetTempPath()];

    static List<Dictionary<string, double>> Metrics(string run) =>
        File.ReadLines(Path.Combine(run, "metrics.jsonl")).Select(l => JsonSerializer.Deserialize<Dictionary<string, double>>(l)!).ToList();

    [Fact]
    public void VqVaeResumeReadsTheRunsSettingsAndRejectsDifferentOnes()
    {
        Assert.Equal(0, Run(["train", "vqvae", .. TinyVqVae, "--epochs", "2", "--out", P("straight")]).Code);
        Assert.Equal(0, Run(["train", "vqvae", .. TinyVqVae, "--epochs", "1", "--out", P("run")]).Code);

        var (code, error) = Run("train", "vqvae", "--resume", "--out", P("run"), "--epochs", "2", "--lr", "0.001", "--num-codes", "8", "--preset", "ref");
        Assert.Equal(2, code);
        Assert.Contains("--lr 0.001 (the run has 0.003)", error);
        Assert.Contains("--preset ref (the run has demo)", error);
        Assert.DoesNotContain("--num-codes", error); // given, but the run's own value
        Assert.Single(Metrics(P("run"))); // nothing was trained
        (code, error) = Run("train", "vqvae", "--resume", "--out", P("run"), "--epochs", "0");
        Assert.Equal(2, code);
        Assert.Contains("--resume can only add epochs", error);

        Assert.Equal(0, Run("train", "vqvae", "--resume", "--out", P("run"), "--epochs", "2", "--num-codes", "8").Code);
        var straight = Metrics(P("straight"));
        var resumed = Metrics(P("run"));
        Assert.Equal(2, resumed.Count);
        foreach (var key in new[] { "train_recon_loss", "val_recon_loss", "perplexity", "codes_used", "codes_restarted" })
            Assert.Equal(straight[1][key], resumed[1][key]);
        Assert.Equal(TestMse(P("straight/test_metrics.json")), TestMse(P("run/test_metrics.json")));
        using var config = JsonDocument.Parse(File.ReadAllText(P("run/config.json")));
        Assert.Equal(2, config.RootElement.GetProperty("epochs").GetInt32());
        Assert.Equal("0.003", config.RootElement.GetProperty("options").GetProperty("--lr").GetString());
    }

    [Fact]
    public void ReconstructUsesTheTrainedSizeDataAndSplit()
    {
        Assert.Equal(0, Run(["train", "vqvae", .. TinyVqVae, "--epochs", "1", "--out", P("vq")]).Code);
        // No data options at all: the run's synthetic:40:16 at 16 px (not the 64 px default), seed 5 and split.csv.
        Assert.Equal(0, Run("reconstruct", "--vqvae", P("vq"), "--out", P("r"), "--device", "cpu").Code);
        Assert.Equal(TestMse(P("vq/test_metrics.json")), TestMse(P("r/reconstructions_test.json")));
        // The same from the run's best checkpoint folder.
        Assert.Equal(0, Run("reconstruct", "--vqvae", P("vq/checkpoints/best"), "--out", P("best"), "--device", "cpu").Code);
        Assert.Equal(TestMse(P("vq/test_metrics.json")), TestMse(P("best/reconstructions_test.json")));

        var (code, error) = Run("reconstruct", "--vqvae", P("vq"), "--image-size", "32", "--out", P("x"), "--device", "cpu");
        Assert.Equal(2, code);
        Assert.Contains("trained on 16 px", error);
        Assert.Contains("--image-size 32", error);
        Assert.False(Directory.Exists(P("x")));
    }

    [Fact]
    public void PriorResumeReadsTheRunsSettings()
    {
        Assert.Equal(0, Run(["train", "vqvae", .. TinyVqVae, "--epochs", "1", "--out", P("vq")]).Code);
        string[] prior = ["train", "prior", "--vqvae", P("vq"), "--layers", "1", "--channels", "8", "--head-channels", "8", "--batch-size", "8", "--lr", "0.001", "--device", "cpu"];
        Assert.Equal(0, Run([.. prior, "--epochs", "2", "--out", P("straight")]).Code);
        Assert.Equal(0, Run([.. prior, "--epochs", "1", "--out", P("prior")]).Code);

        var (code, error) = Run("train", "prior", "--resume", "--out", P("prior"), "--epochs", "2", "--layers", "3");
        Assert.Equal(2, code);
        Assert.Contains("--layers 3 (the run has 1)", error);
        Assert.Equal(2, Run("train", "prior", "--out", P("other"), "--epochs", "1").Code); // --vqvae is needed without --resume

        Assert.Equal(0, Run("train", "prior", "--resume", "--out", P("prior"), "--epochs", "2").Code);
        var straight = Metrics(P("straight"));
        var resumed = Metrics(P("prior"));
        Assert.Equal(2, resumed.Count);
        Assert.Equal(straight[1]["train_nll"], resumed[1]["train_nll"]);
        Assert.Equal(straight[1]["val_nll"], resumed[1]["val_nll"]);

        // A run begun before flip-augmented code maps existed (config.json without "augment") resumes on the images' own maps.
        Assert.Equal(0, Run([.. prior, "--epochs", "1", "--out", P("old")]).Code);
        Assert.Equal("flips", ConfigString(P("old"), "augment"));
        var config = System.Text.Json.Nodes.JsonNode.Parse(File.ReadAllText(P("old/config.json")))!.AsObject();
        config.Remove("augment");
        File.WriteAllText(P("old/config.json"), config.ToJsonString());
        Assert.Equal(0, Run("train", "prior", "--resume", "--out", P("old"), "--epochs", "2").Code);
        Assert.Equal("none", ConfigString(P("old"), "augment"));
        Assert.Equal(3, IlgpuVq.Engine.Serialization.SafeTensors.Read(P("old/codes.safetensors")).Tensors["train.codes"].Shape.Length);
    }

    static string? ConfigString(string run, string key)
    {
        using var doc = System.Text.Json.JsonDocument.Parse(File.ReadAllText(Path.Combine(run, "config.json")));
        return doc.RootElement.GetProperty(key).GetString();
    }
}
