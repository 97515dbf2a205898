namespace IlgpuVq.Models.Evaluation;

/// <summary>Exact nearest-neighbour queries between feature sets by Euclidean distance, in double (brute force: sets of thousands).</summary>
public static class NearestNeighbours
{
    public static double Distance(double[] x, double[] y)
    {
        double s = 0;
        for (int k = 0; k < x.Length; k++) { double t = x[k] - y[k]; s += t * t; }
        return Math.Sqrt(s);
    }

    /// <summary>For each query, the index of and distance to its nearest reference (ties: the lowest index).</summary>
    public static (int[] Index, double[] Distance) Nearest(double[][] queries, double[][] references)
    {
        var index = new int[queries.Length];
        var distance = new double[queries.Length];
        Parallel.For(0, queries.Length, q =>
        {
            double best = double.PositiveInfinity;
            int arg = -1;
            for (int r = 0; r < references.Length; r++)
            {
                double d = Distance(queries[q], references[r]);
                if (d < best) { best = d; arg = r; }
            }
            index[q] = arg;
            distance[q] = best;
        });
        return (index, distance);
    }

    /// <summary>For each point of a set, the distance to its k-th nearest other point of the same set (k ≥ 1; the point itself excluded).</summary>
    public static double[] KthNeighbourRadius(double[][] set, int k)
    {
        if (set.Length <= k) throw new ArgumentException($"a k = {k} neighbourhood needs more than {k} feature vectors (got {set.Length})");
        var radius = new double[set.Length];
        Parallel.For(0, set.Length, i =>
        {
            var d = new double[set.Length - 1];
            for (int j = 0, m = 0; j < set.Length; j++)
                if (j != i) d[m++] = Distance(set[i], set[j]);
            Array.Sort(d);
            radius[i] = d[k - 1];
        });
        return radius;
    }

    public static double Median(IEnumerable<double> values)
    {
        var v = values.Order().ToArray();
        if (v.Length == 0) return double.NaN;
        return v.Length % 2 == 1 ? v[v.Length / 2] : (v[v.Length / 2 - 1] + v[v.Length / 2]) / 2;
    }
}
