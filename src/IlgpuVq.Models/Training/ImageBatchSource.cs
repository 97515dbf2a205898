using IlgpuVq.Data;

namespace IlgpuVq.Models.Training;

/// <summary>
/// What a trainer needs from a dataset split: the batches of an epoch, in an order that is a pure function
/// of (seed, epoch), starting at any batch position (for exact resume).
/// </summary>
public interface IImageBatchSource
{
    int BatchesPerEpoch { get; }
    int ImageSize { get; }
    int Count { get; }
    IEnumerable<Batch> Epoch(int epoch, int startBatch);
}

/// <summary>Fixed in-memory images, batched in order (tests, evaluation of a fixed set).</summary>
public sealed class InMemoryBatches(float[] images, int[] labels, int imageSize, int batchSize) : IImageBatchSource
{
    readonly int per = 3 * imageSize * imageSize;

    public int Count => labels.Length;
    public int ImageSize => imageSize;
    public int BatchesPerEpoch => (Count + batchSize - 1) / batchSize;

    public IEnumerable<Batch> Epoch(int epoch, int startBatch)
    {
        for (int b = startBatch; b < BatchesPerEpoch; b++)
        {
            int start = b * batchSize, n = Math.Min(batchSize, Count - start);
            yield return new Batch
            {
                Images = images.AsSpan(start * per, n * per).ToArray(), Labels = labels.AsSpan(start, n).ToArray(),
                Indices = [.. Enumerable.Range(start, n)], ImageSize = imageSize, Epoch = epoch, BatchInEpoch = b,
            };
        }
    }
}
