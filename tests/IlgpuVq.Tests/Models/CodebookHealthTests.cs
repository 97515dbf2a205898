using IlgpuVq.Data;
using IlgpuVq.Engine.Tensors;
using IlgpuVq.Models.Training;
using IlgpuVq.Models.VqVae;

namespace IlgpuVq.Tests.Models;

/// <summary>
/// The codebook defaults against the old ones on the same data and model: encoder outputs of scale ~0.1–1 against a random
/// codebook of scale 1/K = 1/64 (what real photographs did to the old defaults) collapse the old configuration (codebook loss,
/// random codebook, no restarts) onto a few codes (observed: 1 of 64), while the defaults (EMA, dead-code restarts, k-means
/// init) keep at least half of the codes in use within the same 48 steps (observed: 55). The collapse warning is raised once,
/// and only for the collapse.
/// </summary>
public class CodebookHealthTests : IDisposable
{
    readonly string dir = Directory.CreateTempSubdirectory("ilgpuvq-health-").FullName;
    public void Dispose() => Directory.Delete(dir, recursive: true);

    const int Codes = 64;
    static readonly VqVaeConfig Defaults = new() { Hidden = 8, ResidualHidden = 4, ResidualBlocks = 1, EmbeddingDim = 4, NumCodes = Codes, Downsample = 4, DeadCodeWindow = 4 };
    static readonly VqVaeConfig Old = Defaults with { Ema = false, DeadCodeWindow = 0, KMeansInit = false };

    sealed class Warnings : ITrainingReporter
    {
        public List<string> Lines { get; } = new();
        public void EpochStarted(int epoch, int epochs, int batches) { }
        public void BatchDone(int batch, float? loss, string? detail, double imagesPerSecond) { }
        public void EpochDone(int epoch, IReadOnlyDictionary<string, double> metrics) { }
        public void Message(string text) { if (text.StartsWith("warning:")) Lines.Add(text); }
    }

    (double CodesUsed, double Perplexity, List<string> Warnings) Train(string deviceName, VqVaeConfig config, string name)
    {
        var device = TestDevices.Get(deviceName);
        var images = TinyImages.Make(32, 16, seed: 4);
        var train = new InMemoryBatches(images.Images, images.Labels, 16, 8);
        var settings = new VqVaeSettings { Model = config, BatchSize = 8, LearningRate = 1e-3f, Seed = 3 };
        using var task = new VqVaeTrainingTask(device, settings, train, train, TinyImages.Make(4, 16, 2));
        var warnings = new Warnings();
        var result = new TrainingLoop<Batch>(device, task, new TrainingOptions { OutDir = Path.Combine(dir, name), Epochs = 12, LogEvery = 100 }, warnings).Run();
        Assert.Equal(48, result.Steps);
        var last = result.Metrics[^1];
        Assert.Equal(config.NumCodes - last["codes_used"], last["dead_codes"]);
        return (last["codes_used"], last["perplexity"], warnings.Lines);
    }

    [Theory]
    [InlineData("cpu")]
    [InlineData("cpu-sim")]
    public void DefaultsKeepHalfTheCodesWhereTheOldOnesCollapse(string deviceName)
    {
        var old = Train(deviceName, Old, "old");
        var now = Train(deviceName, Defaults, "new");
        Assert.True(old.CodesUsed <= Codes / 8, $"the old defaults used {old.CodesUsed} of {Codes} codes: the setting does not collapse them");
        Assert.True(now.CodesUsed >= Codes / 2, $"the defaults used only {now.CodesUsed} of {Codes} codes (perplexity {now.Perplexity:0.0})");
        var warning = Assert.Single(old.Warnings);
        Assert.Contains($"of {Codes} codes", warning);
        Assert.Contains("--dead-code-window", warning);
        Assert.Empty(now.Warnings);
    }
}
