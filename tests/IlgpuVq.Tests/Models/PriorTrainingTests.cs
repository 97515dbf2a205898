using IlgpuVq.Engine.Serialization;
using IlgpuVq.Models.Prior;
using IlgpuVq.Models.Training;
using IlgpuVq.Models.VqVae;

namespace IlgpuVq.Tests.Models;

public class PriorTrainingTests : IDisposable
{
    readonly string dir = Directory.CreateTempSubdirectory("ilgpuvq-prior-").FullName;
    public void Dispose() => Directory.Delete(dir, recursive: true);

    static CodeMaps Maps(int count, int seed)
    {
        var rng = new Random(seed);
        return new CodeMaps(Enumerable.Range(0, count * 16).Select(_ => rng.Next(8)).ToArray(), Enumerable.Range(0, count).Select(i => i % 2).ToArray(), 4, 4);
    }

    TrainResult Train(string name, long? stopAt = null, bool resume = false, double labelDropout = 0)
    {
        var device = TestDevices.Get("cpu");
        using var vq = new LoadedVqVae(new VqVaeModel(device, VqVaeTrainingTests.Tiny, 1), 16, "vqvae.safetensors", new Dictionary<string, string>());
        var settings = new PriorSettings
        {
            Model = new PixelCnnConfig { NumCodes = 8, Channels = 8, Layers = 1, HeadChannels = 8, NumClasses = 2, LabelDropout = labelDropout },
            BatchSize = 4, LearningRate = 1e-3f, Seed = 5, SamplesPerClass = 1, ClassNames = ["a", "b"],
        };
        using var task = new PriorTrainingTask(device, settings, Maps(12, 1), Maps(4, 2), vq, "hash");
        var options = new TrainingOptions { OutDir = Path.Combine(dir, name), Epochs = 2, LogEvery = 1, StopAtStep = stopAt, Resume = resume };
        return new TrainingLoop<CodeBatch>(device, task, options).Run();
    }

    /// <summary>With label dropout too: the null labels of a batch are a function of (seed, epoch, batch), so a resumed run draws the same ones.</summary>
    [Theory]
    [InlineData(0.0)]
    [InlineData(0.4)]
    public void ResumedPriorRunMatchesAnUninterruptedOne(double labelDropout)
    {
        var straight = Train("a", labelDropout: labelDropout);
        Assert.True(Train("b", stopAt: 4, labelDropout: labelDropout).Interrupted); // 3 batches per epoch: stops inside epoch 2
        var resumed = Train("b", resume: true, labelDropout: labelDropout);
        Assert.Equal(straight.Steps, resumed.Steps);
        for (int e = 0; e < 2; e++)
            foreach (var key in new[] { "train_nll", "val_nll", "val_bits_per_dim", "train_bits_per_dim" })
                Assert.Equal(straight.Metrics[e][key], resumed.Metrics[e][key]);
        var a = SafeTensors.Read(Path.Combine(dir, "a", "checkpoints", "epoch_0002", CheckpointStore.ModelFile)).Tensors;
        var b = SafeTensors.Read(Path.Combine(dir, "b", "checkpoints", "epoch_0002", CheckpointStore.ModelFile)).Tensors;
        foreach (var key in a.Keys) Assert.Equal(a[key].Floats, b[key].Floats);
        // The null class is a third row of the class-bias tables, and the checkpoint's config says so.
        Assert.Equal(labelDropout > 0 ? 3 : 2, a["layers.0.class_bias_h"].Shape[0]);
        var info = SafeTensors.Read(Path.Combine(dir, "a", "checkpoints", "epoch_0002", CheckpointStore.ModelFile)).Metadata;
        Assert.Equal(labelDropout, System.Text.Json.JsonSerializer.Deserialize<PixelCnnConfig>(info["config"])!.LabelDropout);
        Assert.True(File.Exists(Path.Combine(dir, "a", "samples", "epoch_0002.png")));
        // bits per dimension = nats per code · h·w / (ln 2 · 3 · S²) with a 4×4 grid of 16 px images.
        Assert.Equal(straight.Metrics[1]["val_nll"] * 16 / (Math.Log(2) * 3 * 256), straight.Metrics[1]["val_bits_per_dim"], 12);
    }

    [Fact]
    public void LabelDropoutIsSeededPerEpochAndBatchAndTrainsTheNullClass()
    {
        var maps = Maps(400, 3);
        int[] Labels(CodeBatches batches, int epoch) => batches.Epoch(epoch, 0).SelectMany(b => b.Labels).ToArray();
        var none = Labels(new CodeBatches(maps, 40, 7, shuffle: true, "maps"), 1);
        var dropped = Labels(new CodeBatches(maps, 40, 7, shuffle: true, "maps", 0.25, nullLabel: 2), 1);
        // The same order of examples; a quarter of them (400 draws: within 5 standard errors) under the null class, the rest unchanged.
        int nulls = dropped.Count(l => l == 2);
        Assert.InRange(nulls, 100 - 5 * Math.Sqrt(400 * 0.25 * 0.75), 100 + 5 * Math.Sqrt(400 * 0.25 * 0.75));
        Assert.All(Enumerable.Range(0, none.Length).Where(i => dropped[i] != 2), i => Assert.Equal(none[i], dropped[i]));
        Assert.Equal(dropped, Labels(new CodeBatches(maps, 40, 7, shuffle: true, "maps", 0.25, nullLabel: 2), 1));
        // Starting at batch 3 gives the same labels as batches 3.. of the whole epoch (a resumed run).
        Assert.Equal(dropped[(3 * 40)..], new CodeBatches(maps, 40, 7, shuffle: true, "maps", 0.25, nullLabel: 2).Epoch(1, 3).SelectMany(b => b.Labels).ToArray());
        var otherEpoch = Labels(new CodeBatches(maps, 40, 7, shuffle: true, "maps", 0.25, nullLabel: 2), 2);
        Assert.NotEqual(dropped.Select(l => l == 2), otherEpoch.Select(l => l == 2));
        Assert.Throws<ArgumentException>(() => new CodeBatches(maps, 40, 7, shuffle: true, "maps", 1.0, nullLabel: 2));
    }
}
