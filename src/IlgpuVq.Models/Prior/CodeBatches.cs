using IlgpuVq.Data;

namespace IlgpuVq.Models.Prior;

/// <summary>A batch of code maps [B,h,w] and labels [B].</summary>
public sealed record CodeBatch(int[] Codes, int[] Labels, int Count, int Height, int Width);

/// <summary>Batches of code maps: shuffled per epoch by <see cref="BatchOrder"/> (the image batches' shuffle, a pure function of
/// (seed, epoch)) with full batches only, or in order with the last partial batch for evaluation. Balanced, each slot draws a class
/// uniformly and then one of its maps (as the image trainers' <c>--balance</c>), so a rare class is learned from as many examples as NV. When
/// the maps have flip variants (<see cref="CodeDataset.FlipVariants"/>) each training slot takes one of its image's maps, drawn from
/// (seed, epoch, batch); evaluation takes the image as it is. With label dropout p (training
/// for classifier-free guidance) each example's label becomes <c>nullLabel</c> with probability p, drawn from a
/// <see cref="CounterRng"/> keyed by (seed, epoch, batch): the same labels for a seed on any thread count, and on resume.</summary>
public sealed class CodeBatches
{
    readonly CodeMaps maps;
    readonly int batchSize;
    readonly long seed;
    readonly bool shuffle, balance;
    readonly double labelDropout;
    readonly int nullLabel;
    readonly int[] all;

    public CodeBatches(CodeMaps maps, int batchSize, ulong seed, bool shuffle, string what, double labelDropout = 0, int nullLabel = -1,
        bool balance = false)
    {
        if (!(labelDropout >= 0 && labelDropout < 1)) throw new ArgumentException($"label dropout must be in [0, 1) (got {labelDropout})");
        this.maps = maps;
        this.batchSize = batchSize;
        this.seed = unchecked((long)seed);
        this.shuffle = shuffle;
        this.balance = balance;
        this.labelDropout = labelDropout;
        this.nullLabel = nullLabel;
        all = [.. Enumerable.Range(0, maps.Count)];
        BatchesPerEpoch = BatchCount.PerEpoch(maps.Count, batchSize, dropLast: shuffle, what);
    }

    public int BatchesPerEpoch { get; }
    public int Count => maps.Count;
    /// <summary>Maps per image (<see cref="CodeMaps.Variants"/>).</summary>
    public int Variants => maps.Variants;

    public IEnumerable<CodeBatch> Epoch(int epoch, int startBatch)
    {
        var order = BatchOrder.ForEpoch(all, seed, epoch, shuffle, balance, label: i => maps.Labels[i]);
        for (int b = startBatch; b < BatchesPerEpoch; b++)
        {
            int n = Math.Min(batchSize, maps.Count - b * batchSize);
            var codes = new int[n * maps.Plane];
            var labels = new int[n];
            var dropout = new CounterRng(RngStreams.LabelDropout, seed, epoch, b);
            var variant = new CounterRng(RngStreams.CodeVariant, seed, epoch, b);
            for (int k = 0; k < n; k++)
            {
                int src = order[b * batchSize + k];
                int v = shuffle && maps.Variants > 1 ? variant.NextInt(maps.Variants) : 0;
                Array.Copy(maps.Codes, maps.Offset(src, v), codes, k * maps.Plane, maps.Plane);
                labels[k] = labelDropout > 0 && dropout.Chance(labelDropout) ? nullLabel : maps.Labels[src];
            }
            yield return new CodeBatch(codes, labels, n, maps.Height, maps.Width);
        }
    }
}
