using IlgpuVq.Engine.NN;

namespace IlgpuVq.Models.Prior;

/// <summary>A batch of code maps [B,h,w] and labels [B].</summary>
public sealed record CodeBatch(int[] Codes, int[] Labels, int Count, int Height, int Width);

/// <summary>Batches of code maps: shuffled per epoch by a pure function of (seed, epoch), or in order for evaluation.</summary>
public sealed class CodeBatches(CodeMaps maps, int batchSize, ulong seed, bool shuffle)
{
    public int BatchesPerEpoch => shuffle ? maps.Count / batchSize : (maps.Count + batchSize - 1) / batchSize;
    public int Count => maps.Count;

    public IEnumerable<CodeBatch> Epoch(int epoch, int startBatch)
    {
        var order = Enumerable.Range(0, maps.Count).ToArray();
        if (shuffle)
        {
            // Fisher–Yates with a counter-based generator keyed by (seed, epoch).
            for (int i = order.Length - 1; i > 0; i--)
            {
                int j = (int)(SeedSequence.Mix(seed ^ ((ulong)epoch << 32), (ulong)i) % (ulong)(i + 1));
                (order[i], order[j]) = (order[j], order[i]);
            }
        }
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
