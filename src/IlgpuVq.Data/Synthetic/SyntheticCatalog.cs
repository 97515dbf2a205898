namespace IlgpuVq.Data;

/// <summary>
/// Who is who in a synthetic dataset: the class of every image (exactly HAM10000's proportions after rounding,
/// NV-dominant), and lesion groups — about a quarter of the lesions have 2 to 4 images, as in HAM10000
/// (10 015 images of 7 470 lesions). All images of a lesion share its class.
/// </summary>
public sealed class SyntheticCatalog
{
    SyntheticCatalog(int[] labels, int[] lesions, int[] views, int lesionCount)
    {
        Labels = labels;
        Lesions = lesions;
        Views = views;
        LesionCount = lesionCount;
    }

    /// <summary>Class of each image.</summary>
    public IReadOnlyList<int> Labels { get; }

    /// <summary>Lesion number of each image.</summary>
    public IReadOnlyList<int> Lesions { get; }

    /// <summary>Which image of its lesion each image is (0 for the first).</summary>
    public IReadOnlyList<int> Views { get; }

    /// <summary>Number of distinct lesions.</summary>
    public int LesionCount { get; }

    /// <summary>Images per class for a dataset of <paramref name="count"/> images (largest remainder, every class present when count ≥ 7).</summary>
    public static int[] ClassCounts(int count)
    {
        var weights = LesionClasses.Ham10000Counts;
        var total = weights.Sum();
        var counts = weights.Select(w => (int)((long)w * count / total)).ToArray();
        var order = Enumerable.Range(0, weights.Count)
            .OrderByDescending(c => (double)weights[c] * count / total - counts[c]).ThenBy(c => c).ToArray();
        for (var k = 0; counts.Sum() < count; k++) counts[order[k % order.Length]]++;
        var nv = LesionClasses.IndexOf("nv");
        if (count >= weights.Count)
            for (var c = 0; c < counts.Length; c++)
                if (counts[c] == 0) { counts[c]++; counts[nv]--; }
        return counts;
    }

    /// <summary>The catalog of <paramref name="count"/> images for a seed.</summary>
    public static SyntheticCatalog Create(int count, int seed)
    {
        var rng = new CounterRng(RngStreams.SynthCatalog, seed);
        var counts = ClassCounts(count);
        var groups = new List<(int Class, int Size)>();
        for (var c = 0; c < counts.Length; c++)
        {
            var left = counts[c];
            while (left > 0)
            {
                var p = rng.NextDouble();
                var size = p < 0.74 ? 1 : p < 0.92 ? 2 : p < 0.98 ? 3 : 4;
                size = Math.Min(size, left);
                groups.Add((c, size));
                left -= size;
            }
        }
        var shuffled = groups.ToArray();
        rng.Shuffle(shuffled.AsSpan());
        var labels = new int[count];
        var lesions = new int[count];
        var views = new int[count];
        var i = 0;
        for (var g = 0; g < shuffled.Length; g++)
        for (var k = 0; k < shuffled[g].Size; k++, i++)
        {
            labels[i] = shuffled[g].Class;
            lesions[i] = g;
            views[i] = k;
        }
        return new SyntheticCatalog(labels, lesions, views, shuffled.Length);
    }
}
