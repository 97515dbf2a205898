namespace IlgpuVq.Checks.Reference;

/// <summary>Double-precision specification of the channel ops (engine: <c>IlgpuVq.Engine.Ops.Channels</c>).
/// Tensors are [N, C, inner] with inner = H·W (1 for [N,C]).</summary>
public static class ChannelsReference
{
    /// <summary>Concatenation along the channel axis; <paramref name="channels"/>[k] is the channel count of xs[k].</summary>
    public static double[] Concat(double[][] xs, int n, int[] channels, int inner)
    {
        int total = channels.Sum();
        var y = new double[n * total * inner];
        for (int b = 0; b < n; b++)
        {
            int offset = 0;
            for (int k = 0; k < xs.Length; k++)
            {
                for (int c = 0; c < channels[k]; c++)
                    for (int s = 0; s < inner; s++)
                        y[(b * total + offset + c) * inner + s] = xs[k][(b * channels[k] + c) * inner + s];
                offset += channels[k];
            }
        }
        return y;
    }

    /// <summary>Channels [start, start+count) of x [n, channels, inner].</summary>
    public static double[] Slice(double[] x, int n, int channels, int inner, int start, int count)
    {
        var y = new double[n * count * inner];
        for (int b = 0; b < n; b++)
            for (int c = 0; c < count; c++)
                for (int s = 0; s < inner; s++)
                    y[(b * count + c) * inner + s] = x[(b * channels + start + c) * inner + s];
        return y;
    }

    /// <summary>[N,C,H,W] → [N,H,W,C].</summary>
    public static double[] ToNhwc(double[] x, int n, int c, int h, int w)
    {
        var y = new double[x.Length];
        for (int b = 0; b < n; b++)
            for (int ch = 0; ch < c; ch++)
                for (int i = 0; i < h; i++)
                    for (int j = 0; j < w; j++)
                        y[((b * h + i) * w + j) * c + ch] = x[((b * c + ch) * h + i) * w + j];
        return y;
    }

    /// <summary>[N,H,W,C] → [N,C,H,W].</summary>
    public static double[] ToNchw(double[] x, int n, int h, int w, int c)
    {
        var y = new double[x.Length];
        for (int b = 0; b < n; b++)
            for (int ch = 0; ch < c; ch++)
                for (int i = 0; i < h; i++)
                    for (int j = 0; j < w; j++)
                        y[((b * c + ch) * h + i) * w + j] = x[((b * h + i) * w + j) * c + ch];
        return y;
    }
}
