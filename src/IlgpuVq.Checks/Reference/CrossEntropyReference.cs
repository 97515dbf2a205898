namespace IlgpuVq.Checks.Reference;

/// <summary>Double-precision specification of softmax cross-entropy over the channel axis (engine:
/// <c>IlgpuVq.Engine.Ops.CrossEntropy</c>): logits [B,K,HW], targets [B,HW]; a target outside [0,K) is ignored (NLL 0).</summary>
public static class CrossEntropyReference
{
    /// <summary>nll[b, s] = log Σ_k exp(x[b,k,s]) − x[b,t,s], computed with max subtraction.</summary>
    public static double[] PerPosition(double[] logits, double[] targets, int batch, int classes, int hw)
    {
        var nll = new double[batch * hw];
        for (int b = 0; b < batch; b++)
            for (int s = 0; s < hw; s++)
            {
                double m = double.NegativeInfinity;
                for (int k = 0; k < classes; k++) m = Math.Max(m, logits[(b * classes + k) * hw + s]);
                double sum = 0;
                for (int k = 0; k < classes; k++) sum += Math.Exp(logits[(b * classes + k) * hw + s] - m);
                int t = (int)targets[b * hw + s];
                nll[b * hw + s] = t < 0 || t >= classes ? 0 : m + Math.Log(sum) - logits[(b * classes + t) * hw + s];
            }
        return nll;
    }

    /// <summary>The mean of <see cref="PerPosition"/> over all B·HW positions, as a one-element array.</summary>
    public static double[] Mean(double[] logits, double[] targets, int batch, int classes, int hw) =>
        [PerPosition(logits, targets, batch, classes, hw).Average()];
}
