namespace IlgpuVq.Checks.Reference;

/// <summary>Double-precision specification of the pooling ops (engine: <c>IlgpuVq.Engine.Ops.Pooling</c>).</summary>
public static class PoolingReference
{
    /// <summary>x [n,c,h,w] → [n,c]: the mean of each channel plane.</summary>
    public static double[] GlobalAverage(double[] x, int n, int c, int h, int w)
    {
        var y = new double[n * c];
        for (int b = 0; b < n; b++)
            for (int ch = 0; ch < c; ch++)
            {
                double s = 0;
                for (int i = 0; i < h; i++)
                    for (int j = 0; j < w; j++) s += x[((b * c + ch) * h + i) * w + j];
                y[b * c + ch] = s / (h * w);
            }
        return y;
    }
}
