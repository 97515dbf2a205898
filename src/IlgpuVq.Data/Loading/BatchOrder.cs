namespace IlgpuVq.Data;

/// <summary>The order in which an epoch visits images: a pure function of (seed, epoch).</summary>
public static class BatchOrder
{
    /// <summary>
    /// The image sequence of one epoch. Without shuffling it is <paramref name="indices"/> as given; with shuffling a
    /// seeded permutation of them; with balancing <c>indices.Count</c> draws with replacement where each slot picks a
    /// class uniformly (among classes present) and then one of its images uniformly, countering the NV skew.
    /// </summary>
    public static int[] ForEpoch(IReadOnlyList<int> indices, long seed, int epoch, bool shuffle, bool balance, Func<int, int> label)
    {
        if (balance)
        {
            var byClass = indices.GroupBy(label).OrderBy(g => g.Key).Select(g => g.ToArray()).ToArray();
            var rng = new CounterRng(RngStreams.Balance, seed, epoch);
            var order = new int[indices.Count];
            for (var s = 0; s < order.Length; s++)
            {
                var members = byClass[rng.NextInt(byClass.Length)];
                order[s] = members[rng.NextInt(members.Length)];
            }
            return order;
        }
        var result = indices.ToArray();
        if (shuffle) new CounterRng(RngStreams.Shuffle, seed, epoch).Shuffle(result.AsSpan());
        return result;
    }
}
