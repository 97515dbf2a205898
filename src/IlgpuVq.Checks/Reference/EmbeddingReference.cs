namespace IlgpuVq.Checks.Reference;

/// <summary>Double-precision specification of the embedding lookups (engine: <c>IlgpuVq.Engine.Ops.Embedding</c>).
/// An index outside [0, K) selects a zero row.</summary>
public static class EmbeddingReference
{
    /// <summary>y[p, d] = table[idx[p], d] for a table [codes, dim].</summary>
    public static double[] Lookup(double[] table, double[] idx, int codes, int dim)
    {
        var y = new double[idx.Length * dim];
        for (int p = 0; p < idx.Length; p++)
        {
            int k = (int)idx[p];
            if (k < 0 || k >= codes) continue;
            for (int d = 0; d < dim; d++) y[p * dim + d] = table[k * dim + d];
        }
        return y;
    }

    /// <summary>y[b, d, i, j] = table[idx[b, i, j], d] for indices [batch, h, w].</summary>
    public static double[] LookupNchw(double[] table, double[] idx, int codes, int dim, int batch, int h, int w)
    {
        var y = new double[batch * dim * h * w];
        for (int b = 0; b < batch; b++)
            for (int i = 0; i < h; i++)
                for (int j = 0; j < w; j++)
                {
                    int k = (int)idx[(b * h + i) * w + j];
                    if (k < 0 || k >= codes) continue;
                    for (int d = 0; d < dim; d++) y[((b * dim + d) * h + i) * w + j] = table[k * dim + d];
                }
        return y;
    }
}
