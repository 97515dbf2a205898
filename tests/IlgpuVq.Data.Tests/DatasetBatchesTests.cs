using IlgpuVq.Models.Prior;
using IlgpuVq.Models.Training;

namespace IlgpuVq.Data.Tests;

/// <summary>The trainers' batch sources: one loader for the whole run gives exactly the batches of a fresh loader per
/// epoch (and per resumed position), evaluation passes repeat, and every source checks its batch size the same way.</summary>
public class DatasetBatchesTests
{
    static readonly int[] All40 = Enumerable.Range(0, 40).ToArray();

    static void AssertSame(IReadOnlyList<Batch> expected, IReadOnlyList<Batch> actual)
    {
        Assert.Equal(expected.Count, actual.Count);
        for (int k = 0; k < expected.Count; k++)
        {
            Assert.Equal((expected[k].Epoch, expected[k].BatchInEpoch), (actual[k].Epoch, actual[k].BatchInEpoch));
            Assert.Equal(expected[k].Indices, actual[k].Indices);
            Assert.Equal(expected[k].Images, actual[k].Images);
        }
    }

    static List<Batch> Fresh(FakeDataset ds, int epoch, int start)
    {
        using var source = DatasetBatches.ForTraining(ds, All40, 8, 5, AugmentOptions.Default, balance: false);
        return [.. source.Epoch(epoch, start)];
    }

    [Fact]
    public void One_loader_across_epochs_gives_the_batches_of_a_fresh_loader_per_epoch_and_position()
    {
        var ds = new FakeDataset(40, 4);
        using var run = DatasetBatches.ForTraining(ds, All40, 8, 5, AugmentOptions.Default, balance: false);
        Assert.Equal(5, run.BatchesPerEpoch);
        var epoch1 = run.Epoch(1, 0).ToList();
        var epoch2 = run.Epoch(2, 0).ToList();
        AssertSame(Fresh(ds, 1, 0), epoch1);
        AssertSame(Fresh(ds, 2, 0), epoch2);
        Assert.NotEqual(epoch1[0].Indices, epoch2[0].Indices); // a new order each epoch
        var partial = run.Epoch(3, 0).Take(2).ToList(); // an interrupted epoch
        AssertSame(Fresh(ds, 3, 3), run.Epoch(3, 3).ToList()); // then a position the loader is not at
        AssertSame(Fresh(ds, 3, 0).Take(2).ToList(), partial);
    }

    [Fact]
    public void Evaluation_passes_repeat_in_order_with_the_last_partial_batch()
    {
        var ds = new FakeDataset(40, 4);
        int[] indices = [.. Enumerable.Range(3, 11)];
        using var source = DatasetBatches.ForEvaluation(ds, indices, 4);
        Assert.Equal(3, source.BatchesPerEpoch);
        var first = source.Epoch(0, 0).ToList();
        Assert.Equal(indices, first.SelectMany(b => b.Indices));
        Assert.Equal([4, 4, 3], first.Select(b => b.Count));
        _ = source.Epoch(0, 0).First(); // a pass broken off after one batch
        var again = source.Epoch(0, 0).ToList();
        Assert.Equal(first.Select(b => b.Images), again.Select(b => b.Images));
        Assert.Equal(indices[..2], source.First(2).Indices);
    }

    [Fact]
    public void Every_source_checks_the_batch_size_with_one_error()
    {
        var ds = new FakeDataset(10, 2);
        var images = Assert.Throws<DataError>(() => DatasetBatches.ForTraining(ds, [.. Enumerable.Range(0, 10)], 16, 0, null, false));
        Assert.Equal("batch size 16 is larger than the 10 training images; use a smaller --batch-size", images.Message);
        var maps = new CodeMaps(new int[10 * 4], new int[10], 2, 2);
        var codes = Assert.Throws<DataError>(() => new CodeBatches(maps, 16, 1, shuffle: true, "training code maps"));
        Assert.Equal("batch size 16 is larger than the 10 training code maps; use a smaller --batch-size", codes.Message);
        Assert.Throws<DataError>(() => new BatchLoader(ds, [.. Enumerable.Range(0, 10)], 0, 0, null));
        Assert.Equal(10, new CodeBatches(maps, 16, 1, shuffle: false, "test code maps").Count); // evaluation keeps the partial batch
    }

    [Fact]
    public void Code_maps_are_shuffled_by_the_image_batches_order()
    {
        var maps = new CodeMaps([.. Enumerable.Range(0, 12)], [.. Enumerable.Range(0, 12)], 1, 1);
        var batches = new CodeBatches(maps, 4, 7, shuffle: true, "code maps").Epoch(2, 0).ToList();
        Assert.Equal(BatchOrder.ForEpoch(Enumerable.Range(0, 12).ToArray(), 7, 2, shuffle: true, balance: false, _ => 0), batches.SelectMany(b => b.Labels));
        Assert.Equal(batches.SelectMany(b => b.Labels), batches.SelectMany(b => b.Codes)); // each map travels with its label
    }
}
