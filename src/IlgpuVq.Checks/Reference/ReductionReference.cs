namespace IlgpuVq.Checks.Reference;

/// <summary>Double-precision specification of the reductions (engine: <c>IlgpuVq.Engine.Ops.Reduction</c>).</summary>
public static class ReductionReference
{
    public static double[] Sum(double[] x)
    {
        double s = 0;
        foreach (var v in x) s += v;
        return [s];
    }

    public static double[] Mean(double[] x) => [Sum(x)[0] / x.Length];

    /// <summary>[N,C,...] → [C]: Σ (or mean) over the batch and spatial axes; <paramref name="shape"/> is x's shape.</summary>
    public static double[] PerChannel(double[] x, int[] shape, bool mean)
    {
        int n = shape[0], c = shape[1], inner = x.Length / Math.Max(1, n * c);
        var y = new double[c];
        for (int ch = 0; ch < c; ch++)
        {
            double s = 0;
            for (int b = 0; b < n; b++)
                for (int j = 0; j < inner; j++) s += x[(b * c + ch) * inner + j];
            y[ch] = mean ? s / (n * inner) : s;
        }
        return y;
    }

    /// <summary>[..., len] → [...]: mean over the last axis.</summary>
    public static double[] MeanLastAxis(double[] x, int len)
    {
        var y = new double[x.Length / len];
        for (int r = 0; r < y.Length; r++)
        {
            double s = 0;
            for (int j = 0; j < len; j++) s += x[r * len + j];
            y[r] = s / len;
        }
        return y;
    }
}
