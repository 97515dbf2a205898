namespace IlgpuVq.Models.Evaluation;

/// <summary>
/// Kernel inception distance (Bińkowski et al. 2018): the unbiased estimate of the squared maximum mean discrepancy
/// between two feature sets under the cubic polynomial kernel k(x, y) = (x·y / d + 1)³, in double precision:
/// mean over i ≠ j of k(aᵢ, aⱼ) + mean over i ≠ j of k(bᵢ, bⱼ) − 2 · mean over all i, j of k(aᵢ, bⱼ). Computed once on
/// the whole sets (no subset averaging: our sets are a few hundred vectors). Unbiased, so it is 0 in expectation for
/// two samples of one distribution and can be slightly negative.
/// </summary>
public static class KernelInceptionDistance
{
    public static double Between(double[][] a, double[][] b)
    {
        if (a.Length < 2 || b.Length < 2) throw new ArgumentException("KID needs at least two feature vectors on each side");
        int d = a[0].Length;
        double Within(double[][] x)
        {
            double s = 0;
            for (int i = 0; i < x.Length; i++)
                for (int j = i + 1; j < x.Length; j++) s += Kernel(x[i], x[j], d);
            return 2 * s / ((double)x.Length * (x.Length - 1));
        }
        double cross = 0;
        foreach (var x in a)
            foreach (var y in b) cross += Kernel(x, y, d);
        return Within(a) + Within(b) - 2 * cross / ((double)a.Length * b.Length);
    }

    static double Kernel(double[] x, double[] y, int d)
    {
        double dot = 0;
        for (int k = 0; k < d; k++) dot += x[k] * y[k];
        double v = dot / d + 1;
        return v * v * v;
    }
}
