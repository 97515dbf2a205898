namespace IlgpuVq.Models.Training;

/// <summary>A batch of images on the host: NCHW floats in [−1, 1] and a label per image (−1 when unlabeled).</summary>
public sealed record ImageBatch(float[] Images, int[] Labels, int Count, int ImageSize);

/// <summary>
/// What a trainer needs from a dataset split: the batches of an epoch, in an order that is a pure function
/// of (seed, epoch), starting at any batch position (for exact resume).
/// </summary>
public interface IImageBatchSource
{
    int BatchesPerEpoch { get; }
    int ImageSize { get; }
    int Count { get; }
    IEnumerable<ImageBatch> Epoch(int epoch, int startBatch);
}

/// <summary>Fixed in-memory images, batched in order (tests, evaluation of a fixed set).</summary>
public sealed class InMemoryBatches(float[] images, int[] labels, int imageSize, int batchSize) : IImageBatchSource
{
    readonly int per = 3 * imageSize * imageSize;

    public int Count => labels.Length;
    public int ImageSize => imageSize;
    public int BatchesPerEpoch => (Count + batchSize - 1) / batchSize;

    public IEnumerable<ImageBatch> Epoch(int epoch, int startBatch)
    {
        for (int b = startBatch; b < BatchesPerEpoch; b++)
        {
            int start = b * batchSize, n = Math.Min(batchSize, Count - start);
            yield return new ImageBatch(images.AsSpan(start * per, n * per).ToArray(), labels.AsSpan(start, n).ToArray(), n, imageSize);
        }
    }
}
