using System.Text.Json;
using IlgpuVq.Cli;

namespace IlgpuVq.Tests.Cli;

/// <summary><c>train classifier</c> and <c>evaluate</c> end to end on a tiny trained pipeline.</summary>
public class EvaluateCliTests : IDisposable
{
    readonly string dir = Directory.CreateTempSubdirectory("ilgpuvq-eval-").FullName;
    public void Dispose() => Directory.Delete(dir, recursive: true);

    string P(string name) => Path.Combine(dir, name);

    static readonly string[] Data = ["--data", "synthetic:48:16", "--test-size", "8", "--cache-dir", Path.GetTempPath(), "--device", "cpu"];

    static readonly string[] Keys =
        ["frechet_distance", "frechet_floor", "kid", "kid_floor", "precision", "recall", "class_consistency", "classifier_accuracy", "memorisation",
         "frechet_reconstruction", "kid_reconstruction", "kid_feature_scale", "precision_floor", "recall_floor"];

    [Fact]
    public void EvaluateOnATinyTrainedPipelineWritesEveryKeyWithFiniteValuesDeterministically()
    {
        Assert.Equal(0, CliApp.Run(["train", "vqvae", "--preset", "demo", "--epochs", "1", "--batch-size", "8", "--num-codes", "8", "--embedding-dim", "4", .. Data, "--out", P("vq")]));
        Assert.Equal(0, CliApp.Run(["train", "prior", "--vqvae", P("vq"), "--epochs", "1", "--layers", "1", "--channels", "8", "--head-channels", "8", "--batch-size", "8",
            "--device", "cpu", "--out", P("prior")]));
        Assert.Equal(0, CliApp.Run(["train", "classifier", "--epochs", "1", "--batch-size", "8", "--width", "4", .. Data, "--out", P("cls")]));
        foreach (var f in new[] { "config.json", "metrics.jsonl", "metrics.csv", "split.csv", "plots/losses.png", "checkpoints/best/model.safetensors",
                     "checkpoints/epoch_0001/train_state.safetensors", "test_metrics.json", "confusion_matrix.png" })
            Assert.True(File.Exists(Path.Combine(P("cls"), f)), $"train classifier did not write {f}");

        string[] evaluate = ["evaluate", "--vqvae", P("vq"), "--prior", P("prior"), "--classifier", P("cls"), "--seed", "4", "--device", "cpu", "--cache-dir", Path.GetTempPath()];
        Assert.Equal(0, CliApp.Run([.. evaluate, "--count", "3", "--out", P("e1")]));
        Assert.Equal(0, CliApp.Run([.. evaluate, "--count", "3", "--out", P("e2")]));
        Assert.True(File.Exists(P("e1/nearest.png")));
        var json = File.ReadAllText(P("e1/evaluation.json"));
        Assert.Equal(json, File.ReadAllText(P("e2/evaluation.json"))); // deterministic for a seed on cpu
        using var doc = JsonDocument.Parse(json);
        var root = doc.RootElement;
        foreach (var key in Keys)
            Assert.True(root.GetProperty(key).ValueKind == JsonValueKind.Number && double.IsFinite(root.GetProperty(key).GetDouble()), $"{key} is not a finite number");
        var codes = root.GetProperty("codes");
        Assert.InRange(codes.GetProperty("mean_hamming").GetDouble(), 0, 1);
        Assert.Equal(7, codes.GetProperty("distinct_share").EnumerateObject().Count());
        Assert.Equal(21, root.GetProperty("samples").GetInt32()); // 3 per class, 7 classes
        Assert.InRange(root.GetProperty("class_consistency").GetDouble(), 0, 1);
        Assert.Equal(1, root.GetProperty("guidance").GetDouble());

        // Classifier-free guidance: a prior trained with label dropout, evaluated at scale 2 (recorded in evaluation.json).
        Assert.Equal(0, CliApp.Run(["train", "prior", "--vqvae", P("vq"), "--epochs", "1", "--layers", "1", "--channels", "8", "--head-channels", "8", "--batch-size", "8",
            "--label-dropout", "0.3", "--balance", "--lr-schedule", "cosine", "--device", "cpu", "--out", P("prior_cfg")]));
        using (var cfg = JsonDocument.Parse(File.ReadAllText(P("prior_cfg/config.json"))))
        {
            Assert.True(cfg.RootElement.GetProperty("balance").GetBoolean());
            Assert.Equal("flips", cfg.RootElement.GetProperty("augment").GetString()); // the default: the flips' code maps too
            Assert.Equal("cosine", cfg.RootElement.GetProperty("lr_schedule").GetString());
        }
        using (var cfg = JsonDocument.Parse(File.ReadAllText(P("prior/config.json"))))
            Assert.Equal("constant", cfg.RootElement.GetProperty("lr_schedule").GetString());
        string[] guided = ["evaluate", "--vqvae", P("vq"), "--prior", P("prior_cfg"), "--classifier", P("cls"), "--seed", "4", "--count", "3", "--device", "cpu", "--cache-dir", Path.GetTempPath()];
        Assert.Equal(0, CliApp.Run([.. guided, "--guidance", "2", "--out", P("g2")]));
        Assert.Equal(0, CliApp.Run([.. guided, "--out", P("g1")]));
        using var g2 = JsonDocument.Parse(File.ReadAllText(P("g2/evaluation.json")));
        using var g1 = JsonDocument.Parse(File.ReadAllText(P("g1/evaluation.json")));
        Assert.Equal(2, g2.RootElement.GetProperty("guidance").GetDouble());
        Assert.Equal(1, g1.RootElement.GetProperty("guidance").GetDouble());
        foreach (var key in Keys)
            Assert.True(double.IsFinite(g2.RootElement.GetProperty(key).GetDouble()), $"guided {key} is not a finite number");

        // Without a classifier: the VQ-VAE encoder's pooled latents, no class metrics.
        Assert.Equal(0, CliApp.Run(["evaluate", "--vqvae", P("vq"), "--prior", P("prior"), "--count", "3", "--device", "cpu", "--cache-dir", Path.GetTempPath(), "--out", P("e3")]));
        using var noClassifier = JsonDocument.Parse(File.ReadAllText(P("e3/evaluation.json")));
        Assert.Equal(JsonValueKind.Null, noClassifier.RootElement.GetProperty("class_consistency").ValueKind);
        Assert.True(double.IsFinite(noClassifier.RootElement.GetProperty("frechet_distance").GetDouble()));

        // Quality during prior training: a fixed sample batch measured every epoch, into metrics.jsonl.
        Assert.Equal(0, CliApp.Run(["train", "prior", "--vqvae", P("vq"), "--epochs", "2", "--layers", "1", "--channels", "8", "--head-channels", "8", "--batch-size", "8",
            "--device", "cpu", "--classifier", P("cls"), "--eval-every", "2", "--out", P("prior2")]));
        var rows = File.ReadAllLines(P("prior2/metrics.jsonl")).Select(l => JsonDocument.Parse(l).RootElement).ToArray();
        Assert.False(rows[0].TryGetProperty("frechet_distance", out _)); // epoch 1 is not a multiple of 2
        Assert.True(double.IsFinite(rows[1].GetProperty("frechet_distance").GetDouble()));
        Assert.InRange(rows[1].GetProperty("class_consistency").GetDouble(), 0, 1);
        var output = new StringWriter();
        var stdout = Console.Out;
        Console.SetOut(output);
        try { Assert.Equal(0, CliApp.Run(["sample", "--vqvae", P("vq"), "--prior", P("prior"), "--count", "7", "--classifier", P("cls"), "--device", "cpu", "--out", P("s.png")])); }
        finally { Console.SetOut(stdout); }
        Assert.Contains("frechet_distance", output.ToString());
        Assert.Contains("class_consistency", output.ToString());

        // Bad input: one error line, exit code 2.
        Assert.Equal(2, CliApp.Run([.. evaluate, "--count", "1", "--out", P("x")]));
        Assert.Equal(2, CliApp.Run([.. evaluate, "--guidance", "2", "--out", P("x")])); // this prior has no null class
        Assert.Equal(2, CliApp.Run([.. guided, "--guidance", "-1", "--out", P("x")]));
        Assert.Equal(2, CliApp.Run([.. guided, "--guidance", "abc", "--out", P("x")]));
        Assert.Equal(2, CliApp.Run(["train", "prior", "--vqvae", P("vq"), "--label-dropout", "1", "--device", "cpu", "--out", P("x")]));
        Assert.Equal(2, CliApp.Run(["train", "prior", "--vqvae", P("vq"), "--lr-schedule", "linear", "--device", "cpu", "--out", P("x")]));
        Assert.Equal(2, CliApp.Run(["evaluate", "--vqvae", P("vq"), "--prior", P("prior"), "--classifier", P("vq"), "--device", "cpu", "--out", P("x")]));
        Assert.Equal(2, CliApp.Run(["evaluate", "--vqvae", P("prior"), "--prior", P("prior"), "--device", "cpu", "--out", P("x")]));
        Assert.Equal(2, CliApp.Run(["train", "classifier", "--data", "synthetic:48:16", "--width", "0", "--device", "cpu", "--out", P("x")]));
        Assert.False(Directory.Exists(P("x")));
    }
}
