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

    TrainResult Train(string name, long? stopAt = null, bool resume = false, double labelDropout = 0,
        LearningRateSchedule schedule = LearningRateSchedule.Constant)
    {
        var device = TestDevices.Get("cpu");
        using var vq = new LoadedVqVae(new VqVaeModel(device, VqVaeTrainingTests.Tiny, 1), 16, "vqvae.safetensors", new Dictionary<string, string>());
        var settings = new PriorSettings
        {
            Model = new PixelCnnConfig { NumCodes = 8, Channels = 8, Layers = 1, HeadChannels = 8, NumClasses = 2, LabelDropout = labelDropout },
            BatchSize = 4, LearningRate = 1e-3f, Seed = 5, SamplesPerClass = 1, ClassNames = ["a", "b"],
        };
        using var task = new PriorTrainingTask(device, settings, Maps(12, 1), Maps(4, 2), vq, "hash");
        var options = new TrainingOptions { OutDir = Path.Combine(dir, name), Epochs = 2, LogEvery = 1, StopAtStep = stopAt, Resume = resume, LrSchedule = schedule };
        return new TrainingLoop<CodeBatch>(device, task, options).Run();
    }

    /// <summary>With label dropout too: the null labels of a batch are a function of (seed, epoch, batch), so a resumed run draws the
    /// same ones; and with the cosine schedule, whose rate is a function of the step.</summary>
    [Theory]
    [InlineData(0.0, LearningRateSchedule.Constant)]
    [InlineData(0.4, LearningRateSchedule.Constant)]
    [InlineData(0.0, LearningRateSchedule.Cosine)]
    public void ResumedPriorRunMatchesAnUninterruptedOne(double labelDropout, LearningRateSchedule schedule)
    {
        var straight = Train("a", labelDropout: labelDropout, schedule: schedule);
        Assert.True(Train("b", stopAt: 4, labelDropout: labelDropout, schedule: schedule).Interrupted); // 3 batches per epoch: stops inside epoch 2
        var resumed = Train("b", resume: true, labelDropout: labelDropout, schedule: schedule);
        // The rate logged after epoch 1 is that of its last step (step 2 of 6): 1e-3 constant, 1e-3·½(1 + cos(2π/6)) cosine.
        Assert.Equal(schedule == LearningRateSchedule.Cosine ? 1e-3 * 0.75 : 1e-3, straight.Metrics[0]["lr"], 6);
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

    [Fact]
    public void CosineScheduleFallsFromTheFullRateToZeroOverTheRun()
    {
        Assert.Equal(1, LearningRateSchedule.Cosine.Factor(0, 100), 12);
        Assert.Equal(0.5, LearningRateSchedule.Cosine.Factor(50, 100), 12);
        Assert.Equal(0.5 * (1 + Math.Cos(Math.PI * 0.9)), LearningRateSchedule.Cosine.Factor(90, 100), 12);
        Assert.Equal(0, LearningRateSchedule.Cosine.Factor(100, 100), 12);
        Assert.Equal(0, LearningRateSchedule.Cosine.Factor(130, 100), 12); // steps past the end (a run extended without a new decay) stay at 0
        Assert.Equal(1, LearningRateSchedule.Constant.Factor(70, 100));
    }

    [Fact]
    public void BalancedCodeBatchesDrawTheRareClassAsOftenAsTheCommonOne()
    {
        // 380 maps of class 0 and 20 of class 1: balanced, about half the 400 slots (within 5 standard errors) are class 1.
        var maps = new CodeMaps(new int[400], [.. Enumerable.Range(0, 400).Select(i => i < 20 ? 1 : 0)], 1, 1);
        int Rare(bool balance, int epoch) => new CodeBatches(maps, 40, 7, shuffle: true, "maps", balance: balance).Epoch(epoch, 0).SelectMany(b => b.Labels).Count(l => l == 1);
        Assert.Equal(20, Rare(false, 1));
        Assert.InRange(Rare(true, 1), 200 - 5 * Math.Sqrt(100), 200 + 5 * Math.Sqrt(100));
        Assert.Equal(Rare(true, 1), Rare(true, 1));
    }

    [Fact]
    public void TrainingBatchesDrawOneFlipVariantPerMapAndEvaluationTakesTheImageAsItIs()
    {
        // 50 images of 4 variants, one code each: code = 10·image + variant, label = image.
        var maps = new CodeMaps([.. Enumerable.Range(0, 200).Select(k => 10 * (k / 4) + k % 4)], [.. Enumerable.Range(0, 50)], 1, 1, Variants: 4);
        var batches = new CodeBatches(maps, 10, 7, shuffle: true, "maps").Epoch(1, 0).ToList();
        var codes = batches.SelectMany(b => b.Codes).ToArray();
        Assert.Equal(batches.SelectMany(b => b.Labels), codes.Select(c => c / 10)); // each map still travels with its own image's label
        Assert.Equal(4, codes.Select(c => c % 10).Distinct().Count());
        Assert.Equal(codes, new CodeBatches(maps, 10, 7, shuffle: true, "maps").Epoch(1, 0).SelectMany(b => b.Codes));
        Assert.Equal(codes[20..], new CodeBatches(maps, 10, 7, shuffle: true, "maps").Epoch(1, 2).SelectMany(b => b.Codes)); // resumed mid-epoch
        Assert.NotEqual(codes.Select(c => c % 10), new CodeBatches(maps, 10, 7, shuffle: true, "maps").Epoch(2, 0).SelectMany(b => b.Codes).Select(c => c % 10));
        Assert.All(new CodeBatches(maps, 10, 0, shuffle: false, "maps").Epoch(0, 0).SelectMany(b => b.Codes), c => Assert.Equal(0, c % 10));
    }

    [Fact]
    public void FlippedImagesMirrorEachPlaneAndTwoFlipsUndoEachOther()
    {
        var images = Enumerable.Range(0, 2 * 3 * 3 * 3).Select(i => (float)i).ToArray(); // 2 images, 3 channels, 3×3
        var lr = CodeDataset.Flipped(images, 2, 3, leftRight: true, topBottom: false);
        var tb = CodeDataset.Flipped(images, 2, 3, leftRight: false, topBottom: true);
        Assert.Equal([2f, 1f, 0f, 5f, 4f, 3f, 8f, 7f, 6f], lr[..9]);
        Assert.Equal([6f, 7f, 8f, 3f, 4f, 5f, 0f, 1f, 2f], tb[..9]);
        Assert.Equal(images[45] + 2, lr[45]); // the second image's last channel, its first row
        Assert.Equal(images, CodeDataset.Flipped(lr, 2, 3, leftRight: true, topBottom: false));
        Assert.Equal(CodeDataset.Flipped(lr, 2, 3, false, true), CodeDataset.Flipped(images, 2, 3, true, true));
    }

    [Fact]
    public void FlipAugmentedCodeMapsAreTheEncodingsOfTheFlippedImagesAndAreCachedAsSuch()
    {
        var device = TestDevices.Get("cpu");
        using var vq = new VqVaeModel(device, VqVaeTrainingTests.Tiny with { Hidden = 16, ResidualHidden = 8, NumCodes = 16, EmbeddingDim = 8 }, seed: 3);
        var batch = TinyImages.Make(6, 16, 4);
        for (int k = 0; k < batch.Images.Length; k++) // a bright top-left quarter: an image its flips can be told from
            if (k % 256 / 16 < 8 && k % 16 < 8) batch.Images[k] = 3;
        var train = new InMemoryBatches(batch.Images, batch.Labels, 16, 4);
        var test = new InMemoryBatches(batch.Images[..(2 * 3 * 256)], batch.Labels[..2], 16, 4);
        var (maps, testMaps, cached) = CodeDataset.LoadOrEncode(dir, "h", vq, train, test, flips: true);
        Assert.False(cached);
        Assert.Equal((6, 4, 1), (maps.Count, maps.Variants, testMaps.Variants));
        var plain = CodeDataset.Encode(vq, train);
        for (int v = 0; v < 4; v++)
        {
            var flipped = CodeDataset.Encode(vq, new InMemoryBatches(CodeDataset.Flipped(batch.Images, 6, 16, (v & 1) != 0, (v & 2) != 0), batch.Labels, 16, 4));
            for (int i = 0; i < 6; i++)
                Assert.Equal(flipped.Codes.AsSpan(i * 16, 16).ToArray(), maps.Codes.AsSpan(maps.Offset(i, v), 16).ToArray());
        }
        Assert.Equal(plain.Codes, Enumerable.Range(0, 6).SelectMany(i => maps.Codes.AsSpan(maps.Offset(i, 0), 16).ToArray()));
        // The bright quarter makes the flips' maps differ from the image's own (so the comparisons above can tell variants apart).
        Assert.Contains(Enumerable.Range(0, 6), i => !maps.Codes.AsSpan(maps.Offset(i, 0), 16).SequenceEqual(maps.Codes.AsSpan(maps.Offset(i, 3), 16)));
        var again = CodeDataset.LoadOrEncode(dir, "h", vq, train, test, flips: true);
        Assert.True(again.FromCache);
        Assert.Equal(maps, again.Train with { Codes = maps.Codes, Labels = maps.Labels });
        Assert.Equal(maps.Codes, again.Train.Codes);
        // Asking without flips does not take the cache of four variants.
        var unflipped = CodeDataset.LoadOrEncode(dir, "h", vq, train, test, flips: false);
        Assert.False(unflipped.FromCache);
        Assert.Equal(1, unflipped.Train.Variants);
        Assert.Equal(plain.Codes, unflipped.Train.Codes);
    }
}
