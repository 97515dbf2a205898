using IlgpuVq.Data;

namespace IlgpuVq.Models.Prior;

/// <summary>A batch of code maps [B,h,w] and labels [B].</summary>
public sealed record CodeBatch(int[] Codes, int[] Labels, int Count, int Height, int Width);

/// <summary>Batches of code maps: shuffled per epoch by <see cref="BatchOrder"/> (the image batches' shuffle, a pure function of
/// (seed, epoch)) with full batches only, or in order with the last partial batch for evaluation.</summary>
public sealed class CodeBatches
{
    readonly CodeMaps maps;
    readonly int batchSize;
    readonly long seed;
    readonly bool shuffle;
    readonly int[] all;

    public CodeBatches(CodeMaps maps, int batchSize, ulong seed, bool shuffle, string what)
    {
        this.maps = maps;
        this.batchSize = batchSize;
        this.seed = unchecked((long)seed);
        this.shuffle = shuffle;
        all = [.. Enumerable.Range(0, maps.Count)];
        BatchesPerEpoch = BatchCount.PerEpoch(maps.Count, batchSize, dropLast: shuffle, what);
    }

    public int BatchesPerEpoch { get; }
    public int Count => maps.Count;

    public IEnumerable<CodeBatch> Epoch(int epoch, int startBatch)
    {
        var order = BatchOrder.ForEpoch(all, seed, epoch, shuffle, balance: false, label: i => maps.Labels[i]);
        for (int b = startBatch; b < BatchesPerEpoch; b++)
        {
            int n = Math.Min(batchSize, maps.Count - b * batchSize);
            var codes = new int[n * maps.Plane];
            var labels = new int[n];
            for (int k = 0; k < n; k++)
            {
                int src = order[b * batchSize + k];
                Array.Copy(maps.Codes, src * maps.Plane, codes, k * maps.Plane, maps.Plane);
                labels[k] = maps.Labels[src];
            }
            yield return new CodeBatch(codes, labels, n, maps.Height, maps.Width);
        }
    }
}
