namespace IlgpuVq.Checks.Reference;

/// <summary>Double-precision specification of classifier-free guidance (engine: <c>IlgpuVq.Engine.Ops.Guidance</c>).</summary>
public static class GuidanceReference
{
    /// <summary>For stacked logits x [2B, inner] (conditional rows, then the same samples' null-class rows):
    /// y[b, i] = x[B + b, i] + scale·(x[b, i] − x[B + b, i]), y [B, inner].</summary>
    public static double[] Mix(double[] x, int batch, int inner, double scale)
    {
        var y = new double[batch * inner];
        for (int b = 0; b < batch; b++)
            for (int i = 0; i < inner; i++)
            {
                double conditional = x[b * inner + i], unconditional = x[(batch + b) * inner + i];
                y[b * inner + i] = unconditional + scale * (conditional - unconditional);
            }
        return y;
    }
}
