using IlgpuVq.Data;

namespace IlgpuVq.Models.Training;

/// <summary>
/// A dataset split as a trainer's batch source: each epoch runs a <see cref="BatchLoader"/> (background
/// thread, bounded queue) over that epoch alone, so batch order and augmentation are pure functions of
/// (seed, epoch, position) and an epoch can start at any batch (exact resume). Without augmentation and
/// shuffling this is an evaluation source that keeps the last partial batch.
/// </summary>
public sealed class DatasetBatches : IImageBatchSource
{
    readonly ILesionDataset dataset;
    readonly int[] indices;
    readonly int batchSize, seed;
    readonly AugmentOptions? augment;
    readonly bool balance, evaluation;

    DatasetBatches(ILesionDataset dataset, int[] indices, int batchSize, int seed, AugmentOptions? augment, bool balance, bool evaluation)
    {
        this.dataset = dataset;
        this.indices = indices;
        this.batchSize = batchSize;
        this.seed = seed;
        this.augment = augment;
        this.balance = balance;
        this.evaluation = evaluation;
        BatchesPerEpoch = evaluation ? (indices.Length + batchSize - 1) / batchSize : indices.Length / batchSize;
        if (indices.Length == 0) throw new DataError("the split is empty");
        if (BatchesPerEpoch == 0) throw new DataError($"batch size {batchSize} is larger than the {indices.Length} training images; use a smaller --batch-size");
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

    public IEnumerable<ImageBatch> Epoch(int epoch, int startBatch)
    {
        using var loader = evaluation
            ? BatchLoader.ForEvaluation(dataset, indices, batchSize)
            : new BatchLoader(dataset, indices, batchSize, seed, augment, balance, epoch, startBatch, new BatchLoaderOptions { EndEpoch = epoch + 1 });
        int skip = evaluation ? startBatch : 0;
        foreach (var batch in loader)
        {
            if (skip-- > 0) continue;
            yield return new ImageBatch(batch.Images.AsSpan(0, batch.Count * 3 * ImageSize * ImageSize).ToArray(), batch.Labels.ToArray(), batch.Count, ImageSize);
        }
    }

    /// <summary>The first <paramref name="count"/> images of the split, unaugmented (fixed grid images).</summary>
    public ImageBatch First(int count) => ForEvaluation(dataset, indices[..Math.Min(count, indices.Length)], count).Epoch(0, 0).First();
}
