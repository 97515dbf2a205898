namespace IlgpuVq.Models.Evaluation;

/// <summary>
/// Diversity of sampled code maps: per class the share of distinct maps among its samples (1 = all different,
/// 1/n = one map repeated) and the mean Hamming distance between its maps, and the mean Hamming distance over all
/// pairs of samples, as a fraction of the positions. A prior that collapses to one map per class shows it here.
/// </summary>
public sealed record CodeStatistics(IReadOnlyDictionary<string, double> DistinctShare, IReadOnlyDictionary<string, double> ClassHamming, double MeanHamming, int Positions)
{
    /// <summary><paramref name="codes"/> holds <paramref name="classes"/>.Length maps of <paramref name="positions"/> codes each.</summary>
    public static CodeStatistics From(int[] codes, int positions, int[] classes, IReadOnlyList<string> classNames)
    {
        int n = classes.Length;
        var map = (int i) => codes.AsSpan(i * positions, positions);
        double Hamming(int i, int j)
        {
            var a = map(i);
            var b = map(j);
            int diff = 0;
            for (int p = 0; p < positions; p++) if (a[p] != b[p]) diff++;
            return (double)diff / positions;
        }
        double MeanPairs(int[] members)
        {
            double s = 0;
            long pairs = 0;
            for (int x = 0; x < members.Length; x++)
                for (int y = x + 1; y < members.Length; y++) { s += Hamming(members[x], members[y]); pairs++; }
            return pairs == 0 ? 0 : s / pairs;
        }
        var distinct = new Dictionary<string, double>();
        var classHamming = new Dictionary<string, double>();
        foreach (var c in classes.Distinct().Order())
        {
            var members = Enumerable.Range(0, n).Where(i => classes[i] == c).ToArray();
            var unique = members.Select(i => string.Join(",", map(i).ToArray())).Distinct().Count();
            string name = c >= 0 && c < classNames.Count ? classNames[c] : "all";
            distinct[name] = (double)unique / members.Length;
            classHamming[name] = MeanPairs(members);
        }
        return new CodeStatistics(distinct, classHamming, MeanPairs(Enumerable.Range(0, n).ToArray()), positions);
    }

    public Dictionary<string, object?> ToJson() => new()
    {
        ["distinct_share"] = DistinctShare, ["distinct_share_min"] = DistinctShare.Values.Min(),
        ["class_mean_hamming"] = ClassHamming, ["mean_hamming"] = MeanHamming, ["positions"] = Positions,
    };
}
