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

    TrainResult Train(string name, long? stopAt = null, bool resume = false)
    {
        var device = TestDevices.Get("cpu");
        using var vq = new LoadedVqVae(new VqVaeModel(device, VqVaeTrainingTests.Tiny, 1), 16, "vqvae.safetensors", new Dictionary<string, string>());
        var settings = new PriorSettings
        {
            Model = new PixelCnnConfig { NumCodes = 8, Channels = 8, Layers = 1, HeadChannels = 8, NumClasses = 2 },
            BatchSize = 4, LearningRate = 1e-3f, Seed = 5, SamplesPerClass = 1, ClassNames = ["a", "b"],
        };
        using var task = new PriorTrainingTask(device, settings, Maps(12, 1), Maps(4, 2), vq, "hash");
        var options = new TrainingOptions { OutDir = Path.Combine(dir, name), Epochs = 2, LogEvery = 1, StopAtStep = stopAt, Resume = resume };
        return new TrainingLoop<CodeBatch>(device, task, options).Run();
    }

    [Fact]
    public void ResumedPriorRunMatchesAnUninterruptedOne()
    {
        var straight = Train("a");
        Assert.True(Train("b", stopAt: 4).Interrupted); // 3 batches per epoch: stops inside epoch 2
        var resumed = Train("b", resume: true);
        Assert.Equal(straight.Steps, resumed.Steps);
        for (int e = 0; e < 2; e++)
            foreach (var key in new[] { "train_nll", "val_nll", "val_bits_per_dim", "train_bits_per_dim" })
                Assert.Equal(straight.Metrics[e][key], resumed.Metrics[e][key]);
        var a = SafeTensors.Read(Path.Combine(dir, "a", "checkpoints", "epoch_0002", CheckpointStore.ModelFile)).Tensors;
        var b = SafeTensors.Read(Path.Combine(dir, "b", "checkpoints", "epoch_0002", CheckpointStore.ModelFile)).Tensors;
        foreach (var key in a.Keys) Assert.Equal(a[key].Floats, b[key].Floats);
        Assert.True(File.Exists(Path.Combine(dir, "a", "samples", "epoch_0002.png")));
        // bits per dimension = nats per code · h·w / (ln 2 · 3 · S²) with a 4×4 grid of 16 px images.
        Assert.Equal(straight.Metrics[1]["val_nll"] * 16 / (Math.Log(2) * 3 * 256), straight.Metrics[1]["val_bits_per_dim"], 12);
    }
}
