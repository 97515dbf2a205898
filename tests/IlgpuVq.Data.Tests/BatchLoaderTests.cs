namespace IlgpuVq.Data.Tests;

public class BatchLoaderTests
{
    static readonly int[] All40 = Enumerable.Range(0, 40).ToArray();

    static List<Batch> Take(BatchLoader loader, int n)
    {
        var list = new List<Batch>();
        for (var k = 0; k < n; k++) list.Add(loader.Next() ?? throw new Exception("stream ended early"));
        return list;
    }

    [Fact]
    public void Batches_have_the_documented_shape_and_cover_an_epoch()
    {
        var ds = new FakeDataset(40, 4);
        using var loader = new BatchLoader(ds, All40, 8, seed: 1, AugmentOptions.Default);
        Assert.Equal(5, loader.BatchesPerEpoch);
        var epoch = Take(loader, 5);
        Assert.All(epoch, b =>
        {
            Assert.Equal(8 * 3 * 4 * 4, b.Images.Length);
            Assert.Equal(8, b.Labels.Length);
            Assert.Equal(b.Indices.Select(ds.Label), b.Labels);
            Assert.All(b.Images, v => Assert.InRange(v, -1f, 1f));
            Assert.Equal(0, b.Epoch);
        });
        Assert.Equal(All40, epoch.SelectMany(b => b.Indices).Order());
        Assert.NotEqual(All40, epoch.SelectMany(b => b.Indices));   // shuffled
        Assert.Equal(Enumerable.Range(0, 5), epoch.Select(b => b.BatchInEpoch));
        Assert.Equal(1, loader.Next()!.Epoch);
    }

    [Fact]
    public void Same_seed_gives_identical_batches_regardless_of_threads()
    {
        var ds = new FakeDataset(40, 4);
        using var a = new BatchLoader(ds, All40, 8, 3, AugmentOptions.Default, options: new BatchLoaderOptions { Threads = 1 });
        using var b = new BatchLoader(ds, All40, 8, 3, AugmentOptions.Default, options: new BatchLoaderOptions { Threads = 2, Prefetch = 1 });
        using var c = new BatchLoader(ds, All40, 8, 4, AugmentOptions.Default);
        var ba = Take(a, 10);
        var bb = Take(b, 10);
        for (var k = 0; k < 10; k++)
        {
            Assert.Equal(ba[k].Indices, bb[k].Indices);
            Assert.Equal(ba[k].Images, bb[k].Images);
        }
        Assert.NotEqual(ba[0].Indices, c.Next()!.Indices);
        Assert.NotEqual(ba[0].Indices, ba[5].Indices);   // a new order every epoch
    }

    [Fact]
    public void Starting_at_an_epoch_and_batch_resumes_exactly()
    {
        var ds = new FakeDataset(40, 4);
        using var full = new BatchLoader(ds, All40, 8, 11, AugmentOptions.Default);
        var run = Take(full, 12);   // epochs 0, 1 and two batches of 2
        using var resumed = new BatchLoader(ds, All40, 8, 11, AugmentOptions.Default, startEpoch: 1, startBatch: 2);
        var rest = Take(resumed, 5);
        for (var k = 0; k < 5; k++)
        {
            Assert.Equal((run[7 + k].Epoch, run[7 + k].BatchInEpoch), (rest[k].Epoch, rest[k].BatchInEpoch));
            Assert.Equal(run[7 + k].Indices, rest[k].Indices);
            Assert.Equal(run[7 + k].Images, rest[k].Images);
        }
        Assert.Throws<ArgumentOutOfRangeException>(() => new BatchLoader(ds, All40, 8, 11, null, startBatch: 5));
    }

    [Fact]
    public void Evaluation_is_one_ordered_unaugmented_pass_with_a_partial_last_batch()
    {
        var ds = new FakeDataset(10, 4);
        var indices = new[] { 9, 3, 5, 1, 7, 0, 2 };
        using var loader = BatchLoader.ForEvaluation(ds, indices, 3);
        var batches = loader.ToList();
        Assert.Equal(new[] { 3, 3, 1 }, batches.Select(b => b.Count));
        Assert.Equal(indices, batches.SelectMany(b => b.Indices));
        var raw = new byte[ds.ImageBytes()];
        ds.ReadImage(9, raw);
        var expected = new float[raw.Length];
        Augmentation.Normalize(raw, 4, expected);
        Assert.Equal(expected, batches[0].Images[..expected.Length]);
        Assert.Null(loader.Next());
    }

    [Fact]
    public void Balanced_sampling_evens_out_a_skewed_class_distribution()
    {
        // 90 % of the images are class 0.
        var ds = new FakeDataset(200, 2, i => i < 180 ? 0 : i < 190 ? 1 : 2);
        var indices = Enumerable.Range(0, 200).ToArray();
        int[] Shares(bool balance)
        {
            using var loader = new BatchLoader(ds, indices, 50, 5, null, balance);
            var counts = new int[3];
            foreach (var b in Take(loader, 12)) foreach (var l in b.Labels) counts[l]++;
            return counts;
        }
        var plain = Shares(false);
        var balanced = Shares(true);
        Assert.True(plain[0] > 0.85 * 600);
        Assert.All(balanced, n => Assert.InRange(n, 150, 250));
    }

    [Fact]
    public void A_worker_exception_reaches_the_consumer()
    {
        var ds = new FakeDataset(16, 2, throwAt: 13);
        using var loader = BatchLoader.ForEvaluation(ds, Enumerable.Range(0, 16).ToArray(), 4);
        Assert.NotNull(loader.Next());
        Assert.NotNull(loader.Next());
        Assert.NotNull(loader.Next());
        var e = Assert.Throws<InvalidDataException>(() => loader.Next());
        Assert.Contains("boom at 13", e.Message);
    }

    [Fact]
    public void Dispose_stops_a_blocked_worker_promptly()
    {
        var ds = new FakeDataset(64, 8);
        var loader = new BatchLoader(ds, Enumerable.Range(0, 64).ToArray(), 4, 0, AugmentOptions.Default, options: new BatchLoaderOptions { Prefetch = 1 });
        Thread.Sleep(50);   // the worker fills the queue and blocks
        var t = System.Diagnostics.Stopwatch.StartNew();
        loader.Dispose();
        Assert.True(t.Elapsed < TimeSpan.FromSeconds(5));
        Assert.Throws<ObjectDisposedException>(() => loader.Next());
        loader.Dispose();   // idempotent
    }

    [Fact]
    public void Cancellation_ends_the_stream()
    {
        var ds = new FakeDataset(64, 4);
        using var cts = new CancellationTokenSource();
        using var loader = new BatchLoader(ds, Enumerable.Range(0, 64).ToArray(), 4, 0, null, cancellationToken: cts.Token);
        Assert.NotNull(loader.Next());
        cts.Cancel();
        var drained = 0;
        while (loader.Next() is not null) drained++;
        Assert.True(drained < 10);
    }

    [Fact]
    public void Bad_arguments_are_clear_errors()
    {
        var ds = new FakeDataset(10, 2);
        var e = Assert.Throws<DataError>(() => new BatchLoader(ds, Enumerable.Range(0, 10).ToArray(), 16, 0, null));
        Assert.Contains("batch size 16", e.Message);
        Assert.Throws<DataError>(() => new BatchLoader(ds, [], 2, 0, null));
        Assert.Throws<ArgumentOutOfRangeException>(() => new BatchLoader(ds, [0, 10], 1, 0, null));
    }
}
