using IlgpuVq.Data;

namespace IlgpuVq.Models.Training;

/// <summary>
/// A dataset split as a trainer's batch source, fed by one <see cref="BatchLoader"/> (background thread, bounded queue)
/// that lives as long as this source and runs on from epoch to epoch, so the next epoch's first batches are prepared while
/// the loop validates. Batch order and augmentation are pure functions of (seed, epoch, position), so an epoch can start at
/// any batch (exact resume): a request for another position than the loader's next one restarts the loader there. Without
/// augmentation and shuffling this is an evaluation source that keeps the last partial batch (every pass is the same).
/// </summary>
public sealed class DatasetBatches : IImageBatchSource, IDisposable
{
    readonly ILesionDataset dataset;
    readonly int[] indices;
    readonly int batchSize, seed;
    readonly AugmentOptions? augment;
    readonly bool balance, evaluation;
    BatchLoader? loader;
    (int Epoch, int Batch) next;

    DatasetBatches(ILesionDataset dataset, int[] indices, int batchSize, int seed, AugmentOptions? augment, bool balance, bool evaluation)
    {
        this.dataset = dataset;
        this.indices = indices;
        this.batchSize = batchSize;
        this.seed = seed;
        this.augment = augment;
        this.balance = balance;
        this.evaluation = evaluation;
        BatchesPerEpoch = BatchCount.PerEpoch(indices.Length, batchSize, dropLast: !evaluation, evaluation ? "images" : "training images");
    }

    /// <summary>Shuffled, augmented (when <paramref name="augment"/> is set) full batches for training.</summary>
    public static DatasetBatches ForTraining(ILesionDataset dataset, int[] indices, int batchSize, int seed, AugmentOptions? augment, bool balance) =>
        new(dataset, indices, batchSize, seed, augment, balance, evaluation: false);

    /// <summary>All images in order, no augmentation, last batch partial.</summary>
    public static DatasetBatches ForEvaluation(ILesionDataset dataset, int[] indices, int batchSize) =>
        new(dataset, indices, batchSize, 0, null, false, evaluation: true);

    public int BatchesPerEpoch { get; }
    public int ImageSize => dataset.ImageSize;
    public int Count => indices.Length;

    public IEnumerable<Batch> Epoch(int epoch, int startBatch)
    {
        if (evaluation) epoch = next.Epoch; // every evaluation pass is the same: continue the loader's stream
        if (loader == null || next != (epoch, startBatch))
        {
            loader?.Dispose();
            loader = new BatchLoader(dataset, indices, batchSize, seed, augment, balance, epoch, startBatch,
                new BatchLoaderOptions { Shuffle = !evaluation, DropLast = !evaluation });
        }
        for (int b = startBatch; b < BatchesPerEpoch; b++)
        {
            var batch = loader.Next() ?? throw new InvalidOperationException("the batch loader ended before the epoch did");
            next = b + 1 < BatchesPerEpoch ? (epoch, b + 1) : (epoch + 1, 0);
            yield return batch;
        }
    }

    /// <summary>The first <paramref name="count"/> images of the split, unaugmented (fixed grid images).</summary>
    public Batch First(int count)
    {
        using var first = BatchLoader.ForEvaluation(dataset, indices[..Math.Min(count, indices.Length)], count);
        return first.Next()!;
    }

    /// <summary>Stops the loader's thread.</summary>
    public void Dispose()
    {
        loader?.Dispose();
        loader = null;
    }
}
