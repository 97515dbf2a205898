namespace IlgpuVq.Models.Evaluation;

/// <summary>
/// Kernel inception distance (Bińkowski et al. 2018): the unbiased estimate of the squared maximum mean discrepancy
/// between two feature sets under the cubic polynomial kernel k(x, y) = (x·y / d + 1)³, in double precision:
/// mean over i ≠ j of k(aᵢ, aⱼ) + mean over i ≠ j of k(bᵢ, bⱼ) − 2 · mean over all i, j of k(aᵢ, bⱼ). Computed once on
/// the whole sets (no subset averaging: our sets are a few hundred vectors). Unbiased, so it is 0 in expectation for
/// two samples of one distribution and can be slightly negative. The kernel is not scale-free (KID grows with the sixth power
/// of the features' scale), so the features are divided by <c>scale</c> first: <see cref="ScaleOf"/> of the real test
/// features puts them at unit RMS, the scale of the Inception features the kernel was designed for, whatever the evaluator.
/// </summary>
public static class KernelInceptionDistance
{
    /// <summary>The RMS of all entries of <paramref name="reference"/> (1 when they are all 0): the scale that makes them unit RMS.</summary>
    public static double ScaleOf(double[][] reference)
    {
        double sum = 0;
        long n = 0;
        foreach (var row in reference)
        {
            foreach (var v in row) sum += v * v;
            n += row.Length;
        }
        double rms = n == 0 ? 0 : Math.Sqrt(sum / n);
        return rms > 0 ? rms : 1;
    }

    public static double Between(double[][] a, double[][] b, double scale = 1)
    {
        if (a.Length < 2 || b.Length < 2) throw new ArgumentException("KID needs at least two feature vectors on each side");
        if (!(scale > 0)) throw new ArgumentException($"the feature scale must be > 0 (got {scale})");
        double norm = a[0].Length * scale * scale;
        double Within(double[][] x)
        {
            double s = 0;
            for (int i = 0; i < x.Length; i++)
                for (int j = i + 1; j < x.Length; j++) s += Kernel(x[i], x[j], norm);
            return 2 * s / ((double)x.Length * (x.Length - 1));
        }
        double cross = 0;
        foreach (var x in a)
            foreach (var y in b) cross += Kernel(x, y, norm);
        return Within(a) + Within(b) - 2 * cross / ((double)a.Length * b.Length);
    }

    /// <summary>(x·y / norm + 1)³ with norm = d · scale².</summary>
    static double Kernel(double[] x, double[] y, double norm)
    {
        double dot = 0;
        for (int k = 0; k < x.Length; k++) dot += x[k] * y[k];
        double v = dot / norm + 1;
        return v * v * v;
    }
}
