namespace IlgpuVq.Checks.Reference;

/// <summary>Double-precision specification of the losses (engine: <c>IlgpuVq.Engine.Ops.Loss</c>).</summary>
public static class LossReference
{
    /// <summary>mean((p - t)²) → [1].</summary>
    public static double[] Mse(double[] p, double[] t)
    {
        double s = 0;
        for (int i = 0; i < p.Length; i++) s += (p[i] - t[i]) * (p[i] - t[i]);
        return [s / p.Length];
    }
}
