using IlgpuVq.Data;
using IlgpuVq.Engine.Memory;
using IlgpuVq.Engine.Optim;
using IlgpuVq.Engine.Serialization;
using IlgpuVq.Engine.Tensors;
using IlgpuVq.Models.Training;
using IlgpuVq.Models.VqVae;

namespace IlgpuVq.Tests.Models;

public class VqVaeTrainingTests : IDisposable
{
    readonly string dir = Directory.CreateTempSubdirectory("ilgpuvq-vq-").FullName;
    public void Dispose() => Directory.Delete(dir, recursive: true);

    internal static readonly VqVaeConfig Tiny = new() { Hidden = 8, ResidualHidden = 4, ResidualBlocks = 1, EmbeddingDim = 4, NumCodes = 8, Downsample = 4 };

    [Fact]
    public void TinyModelOverfitsEightImages()
    {
        var device = TestDevices.Get("cpu");
        var data = TinyImages.Make(8, 16, seed: 5);
        using var model = new VqVaeModel(device, Tiny with { Hidden = 16, ResidualHidden = 8, NumCodes = 16, EmbeddingDim = 8 }, seed: 3);
        using var optimizer = new AdamW(model.Parameters(), lr: 3e-3f, weightDecay: 0);
        float first = 0, last = 0;
        for (int step = 0; step < 200; step++)
        {
            using var scope = new TensorScope();
            var x = Tensor.FromArray(device, data.Images, 8, 3, 16, 16);
            var output = model.Forward(x);
            output.Loss.Backward();
            optimizer.Step();
            optimizer.ZeroGrad();
            var recon = output.ReconstructionLoss.Item();
            if (step == 0) first = recon;
            last = recon;
        }
        Assert.True(float.IsFinite(last));
        Assert.True(last * 5 <= first, $"reconstruction loss fell from {first} to {last}, less than 5x");
    }

    static TrainingOptions Options(string outDir) => new() { OutDir = outDir, Epochs = 2, LogEvery = 1 };

    static TrainResult Train(TrainingOptions options, IImageBatchSource train, IImageBatchSource val, Batch grid, VqVaeConfig? config = null)
    {
        var settings = new VqVaeSettings { Model = config ?? Tiny, BatchSize = 4, LearningRate = 1e-3f, Seed = 7 };
        using var task = new VqVaeTrainingTask(TestDevices.Get("cpu"), settings, train, val, grid);
        return new TrainingLoop<Batch>(TestDevices.Get("cpu"), task, options).Run();
    }

    [Theory]
    [InlineData(false, 0, false, 3)]
    [InlineData(false, 0, true, 3)]
    [InlineData(true, 1, false, 3)] // EMA codebook and dead-code restarts: their buffers must resume exactly too
    [InlineData(true, 1, true, 3)] // the defaults (k-means init too; it uses all 8 codes, so nothing is restarted)
    [InlineData(true, 1, true, 0)] // stopped before the k-means initialisation: the resumed run does it from the same batch
    public void ResumedRunMatchesAnUninterruptedOneBitForBit(bool ema, int deadCodeWindow, bool kmeans, int stopAt)
    {
        var config = Tiny with { Ema = ema, DeadCodeWindow = deadCodeWindow, KMeansInit = kmeans };
        var device = TestDevices.Get("cpu");
        var images = TinyImages.Make(8, 16, seed: 1);
        var train = new InMemoryBatches(images.Images, images.Labels, 16, 4);
        var val = new InMemoryBatches(images.Images, images.Labels, 16, 8);
        var grid = TinyImages.Make(4, 16, seed: 2);

        var straight = Train(Options(Path.Combine(dir, "a")), train, val, grid, config);
        var first = Train(Options(Path.Combine(dir, "b")) with { StopAtStep = stopAt }, train, val, grid, config);
        Assert.True(first.Interrupted);
        var resumed = Train(Options(Path.Combine(dir, "b")) with { Resume = true }, train, val, grid, config);

        Assert.False(resumed.Interrupted);
        Assert.Equal(straight.Steps, resumed.Steps);
        Assert.Equal(2, resumed.Metrics.Count);
        for (int e = 0; e < 2; e++)
            foreach (var key in new[] { "train_recon_loss", "train_quant_loss", "val_recon_loss", "val_quant_loss", "perplexity", "codes_used", "dead_codes", "codes_restarted" })
                Assert.Equal(straight.Metrics[e][key], resumed.Metrics[e][key]);
        var a = SafeTensors.Read(Path.Combine(dir, "a", "checkpoints", "epoch_0002", CheckpointStore.ModelFile)).Tensors;
        var b = SafeTensors.Read(Path.Combine(dir, "b", "checkpoints", "epoch_0002", CheckpointStore.ModelFile)).Tensors;
        Assert.Equal(a.Keys.Order(), b.Keys.Order());
        foreach (var key in a.Keys) { Assert.Equal(a[key].Floats, b[key].Floats); Assert.Equal(a[key].Ints, b[key].Ints); }
        if (deadCodeWindow > 0) Assert.Contains("quantizer.code_ages", a.Keys);
        if (deadCodeWindow > 0 && !kmeans) Assert.True(straight.Metrics[1]["codes_restarted"] > 0, "no code was restarted: the restart path was not exercised");
        if (ema) Assert.Contains("quantizer.ema_sums", a.Keys);
    }

    [Fact]
    public void RunFolderHoldsEveryArtifact()
    {
        var device = TestDevices.Get("cpu");
        var images = TinyImages.Make(8, 16, seed: 1);
        var opts = Options(Path.Combine(dir, "run")) with { Epochs = 1 };
        Train(opts, new InMemoryBatches(images.Images, images.Labels, 16, 4), new InMemoryBatches(images.Images, images.Labels, 16, 8), TinyImages.Make(4, 16, 2));
        var run = new RunFolder(opts.OutDir);
        foreach (var f in new[] { run.Config, run.MetricsJsonl, run.MetricsCsv, run.LossPlot, run.Grid("recon", 1),
                     Path.Combine(run.Checkpoints, "epoch_0001", CheckpointStore.ModelFile), Path.Combine(run.Checkpoints, "best", CheckpointStore.StateFile) })
            Assert.True(File.Exists(f), $"missing {f}");
        var model = SafeTensors.Read(Path.Combine(run.Checkpoints, "epoch_0001", CheckpointStore.ModelFile)).Tensors;
        Assert.Contains("encoder.down1.weight", model.Keys);
        Assert.Contains("quantizer.codebook", model.Keys);
        Assert.Contains("decoder.up2.bias", model.Keys);
        Assert.Equal(2, File.ReadAllLines(run.MetricsCsv).Length);
    }

    /// <summary>Requests a stop (as the Ctrl+C handler does) once a given batch of an epoch is done.</summary>
    sealed class StopAfter(CancellationTokenSource cts, int epoch, int batch) : ITrainingReporter
    {
        int current;
        public void EpochStarted(int e, int epochs, int batches) => current = e;
        public void BatchDone(int b, float? loss, string? detail, double imagesPerSecond) { if (current == epoch && b == batch) cts.Cancel(); }
        public void EpochDone(int e, IReadOnlyDictionary<string, double> metrics) { }
        public void Message(string text) { }
    }

    [Fact]
    public void CancellationSavesACheckpointThatResumesExactly()
    {
        var images = TinyImages.Make(8, 16, seed: 1);
        var train = new InMemoryBatches(images.Images, images.Labels, 16, 4);
        var val = new InMemoryBatches(images.Images, images.Labels, 16, 8);
        var straight = Train(Options(Path.Combine(dir, "a")), train, val, images);
        using var cts = new CancellationTokenSource();
        var settings = new VqVaeSettings { Model = Tiny, BatchSize = 4, LearningRate = 1e-3f, Seed = 7 };
        TrainResult stopped;
        using (var task = new VqVaeTrainingTask(TestDevices.Get("cpu"), settings, train, val, images))
            stopped = new TrainingLoop<Batch>(TestDevices.Get("cpu"), task, Options(Path.Combine(dir, "b")), new StopAfter(cts, 2, 1)).Run(cts.Token);
        Assert.True(stopped.Interrupted);
        Assert.Equal(3, stopped.Steps);
        var resumed = Train(Options(Path.Combine(dir, "b")) with { Resume = true }, train, val, images);
        Assert.Equal(straight.Metrics[1]["train_recon_loss"], resumed.Metrics[1]["train_recon_loss"]);
        Assert.Equal(straight.Metrics[1]["val_recon_loss"], resumed.Metrics[1]["val_recon_loss"]);
    }

    /// <summary>Clean images in epoch 1, a NaN pixel from epoch 2 on.</summary>
    sealed class PoisonedFromEpochTwo(Batch images) : IImageBatchSource
    {
        public int BatchesPerEpoch => 2;
        public int ImageSize => images.ImageSize;
        public int Count => images.Count;
        public IEnumerable<Batch> Epoch(int epoch, int startBatch)
        {
            for (int b = startBatch; b < 2; b++)
            {
                var x = (float[])images.Images.Clone();
                if (epoch >= 2) x[5] = float.NaN;
                yield return new Batch { Images = x, Labels = images.Labels, Indices = images.Indices, ImageSize = images.ImageSize, Epoch = epoch, BatchInEpoch = b };
            }
        }
    }

    [Fact]
    public void NonFiniteLossStopsTrainingAndKeepsTheLastGoodCheckpoint()
    {
        var images = TinyImages.Make(4, 16, seed: 1);
        var source = new PoisonedFromEpochTwo(images);
        var run = Path.Combine(dir, "nan");
        var e = Assert.Throws<NonFiniteLossException>(() => Train(Options(run) with { Epochs = 3 }, source, new InMemoryBatches(images.Images, images.Labels, 16, 4), images));
        Assert.Contains("NaN or infinite at epoch 2", e.Message);
        var store = new CheckpointStore(Path.Combine(run, "checkpoints"));
        Assert.Equal(["epoch_0001"], store.EpochFolders().Select(Path.GetFileName));
        var good = store.LoadLatest()!;
        Assert.All(good.Model.Values, t => Assert.All(t.Floats ?? [], v => Assert.True(float.IsFinite(v))));
    }

    [Fact]
    public void InvalidSettingsFailBeforeAnyWork()
    {
        Assert.Contains("K must be at least 2", Assert.Throws<ArgumentException>(() => (Tiny with { NumCodes = 1 }).Validate(16)).Message);
        Assert.Contains("D must be at least 1", Assert.Throws<ArgumentException>(() => (Tiny with { EmbeddingDim = 0 }).Validate(16)).Message);
        Assert.Contains("not a positive multiple", Assert.Throws<ArgumentException>(() => (Tiny with { Downsample = 8 }).Validate(20)).Message);
    }

    [Fact]
    public void LoadingAMismatchedCheckpointNamesTheTensorAndShapes()
    {
        var device = TestDevices.Get("cpu");
        using var small = new VqVaeModel(device, Tiny, 1);
        using var other = new VqVaeModel(device, Tiny with { NumCodes = 9 }, 1);
        var state = small.StateDictToHost().ToDictionary(t => t.Name);
        var e = Assert.Throws<CheckpointException>(() => other.LoadStateDict(state));
        Assert.Contains("quantizer.codebook", e.Message);
        Assert.Contains("[8,4]", e.Message);
        Assert.Contains("[9,4]", e.Message);
    }
}
