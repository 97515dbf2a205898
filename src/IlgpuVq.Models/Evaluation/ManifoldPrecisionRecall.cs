namespace IlgpuVq.Models.Evaluation;

/// <summary>
/// Improved precision and recall (Kynkäänniemi et al. 2019). Each set's manifold is the union of balls around its
/// points, each with the radius to that point's k-th nearest neighbour in the set (k = 3). Precision: the share of
/// generated points inside the real manifold (how many samples look real); recall: the share of real points inside
/// the generated manifold (how much of the real variety the samples cover).
/// </summary>
public static class ManifoldPrecisionRecall
{
    public const int K = 3;

    public static (double Precision, double Recall) Compute(double[][] real, double[][] generated, int k = K) =>
        (Coverage(generated, real, NearestNeighbours.KthNeighbourRadius(real, k)),
         Coverage(real, generated, NearestNeighbours.KthNeighbourRadius(generated, k)));

    /// <summary>The share of <paramref name="points"/> within radius[j] of some manifold point j.</summary>
    static double Coverage(double[][] points, double[][] manifold, double[] radius)
    {
        int inside = 0;
        foreach (var p in points)
            for (int j = 0; j < manifold.Length; j++)
                if (NearestNeighbours.Distance(p, manifold[j]) <= radius[j]) { inside++; break; }
        return (double)inside / points.Length;
    }
}
