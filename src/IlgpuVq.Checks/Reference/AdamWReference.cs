namespace IlgpuVq.Checks.Reference;

/// <summary>Double-precision AdamW step, PyTorch semantics (engine: <c>IlgpuVq.Engine.Optim.AdamW</c>).</summary>
public static class AdamWReference
{
    /// <summary>Step number <paramref name="t"/> (1-based) updating p, m and v in place with gradient g.</summary>
    public static void Step(double[] p, double[] g, double[] m, double[] v, long t,
        double lr, double beta1, double beta2, double eps, double weightDecay)
    {
        double bc1 = 1 - Math.Pow(beta1, t), bc2 = 1 - Math.Pow(beta2, t);
        for (int i = 0; i < p.Length; i++)
        {
            p[i] -= lr * weightDecay * p[i];
            m[i] = beta1 * m[i] + (1 - beta1) * g[i];
            v[i] = beta2 * v[i] + (1 - beta2) * g[i] * g[i];
            p[i] -= lr * (m[i] / bc1) / (Math.Sqrt(v[i] / bc2) + eps);
        }
    }
}
