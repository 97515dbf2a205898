namespace IlgpuVq.Checks.Reference;

/// <summary>Double-precision specification of vector quantization (engine: <c>IlgpuVq.Engine.Ops.Codebook</c>).</summary>
public static class CodebookReference
{
    /// <summary>Brute force: for each of the <paramref name="rows"/> rows of z [rows, dim] (row r's element d at
    /// z[r·dim + d]), the index of the code with the smallest squared distance, the lowest index on ties.</summary>
    public static int[] Nearest(double[] z, double[] codebook, int rows, int codes, int dim)
    {
        var idx = new int[rows];
        for (int r = 0; r < rows; r++)
        {
            double best = double.PositiveInfinity;
            for (int k = 0; k < codes; k++)
            {
                double dist = 0;
                for (int d = 0; d < dim; d++) dist += (z[r * dim + d] - codebook[k * dim + d]) * (z[r * dim + d] - codebook[k * dim + d]);
                if (dist < best) { best = dist; idx[r] = k; }
            }
        }
        return idx;
    }

    /// <summary>For every row, (second smallest − smallest) squared distance: how far the data is from a tie.</summary>
    public static double[] Margins(double[] z, double[] codebook, int rows, int codes, int dim)
    {
        var margins = new double[rows];
        for (int r = 0; r < rows; r++)
        {
            var dists = new double[codes];
            for (int k = 0; k < codes; k++)
                for (int d = 0; d < dim; d++) dists[k] += (z[r * dim + d] - codebook[k * dim + d]) * (z[r * dim + d] - codebook[k * dim + d]);
            Array.Sort(dists);
            margins[r] = codes > 1 ? dists[1] - dists[0] : double.PositiveInfinity;
        }
        return margins;
    }

    /// <summary>[B,D,H,W] → rows [B·H·W, D] (row b·HW + s).</summary>
    public static double[] NchwToRows(double[] z, int batch, int dim, int hw)
    {
        var rows = new double[z.Length];
        for (int b = 0; b < batch; b++)
            for (int d = 0; d < dim; d++)
                for (int s = 0; s < hw; s++)
                    rows[(b * hw + s) * dim + d] = z[(b * dim + d) * hw + s];
        return rows;
    }

    /// <summary>Quantized rows [rows, dim]: the nearest code of every row.</summary>
    public static double[] Quantize(double[] z, double[] codebook, int rows, int codes, int dim)
    {
        var idx = Nearest(z, codebook, rows, codes, dim);
        var q = new double[rows * dim];
        for (int r = 0; r < rows; r++)
            for (int d = 0; d < dim; d++) q[r * dim + d] = codebook[idx[r] * dim + d];
        return q;
    }

    /// <summary>Quantized [B,D,H,W] for z [B,D,H,W].</summary>
    public static double[] QuantizeNchw(double[] z, double[] codebook, int batch, int codes, int dim, int hw)
    {
        var q = Quantize(NchwToRows(z, batch, dim, hw), codebook, batch * hw, codes, dim);
        var y = new double[z.Length];
        for (int b = 0; b < batch; b++)
            for (int d = 0; d < dim; d++)
                for (int s = 0; s < hw; s++)
                    y[(b * dim + d) * hw + s] = q[(b * hw + s) * dim + d];
        return y;
    }

    /// <summary>scale · mean over elements of (z − e)², as a one-element array (the codebook loss with scale 1, the
    /// commitment loss with scale β; which side is a constant only matters for gradients).</summary>
    public static double[] ScaledMeanSquaredError(double[] z, double[] e, double scale)
    {
        double sum = 0;
        for (int i = 0; i < z.Length; i++) sum += (z[i] - e[i]) * (z[i] - e[i]);
        return [scale * sum / z.Length];
    }

    /// <summary>e = codebook rows at idx, written NCHW for idx [batch, hw] (out-of-range indices give zeros).</summary>
    public static double[] GatherNchw(double[] codebook, double[] idx, int codes, int dim, int batch, int hw) =>
        EmbeddingReference.LookupNchw(codebook, idx, codes, dim, batch, 1, hw);

    /// <summary>exp(−Σ p log p) of counts normalized to a distribution (1 for no counts).</summary>
    public static double Perplexity(int[] counts)
    {
        double total = counts.Sum(c => (double)c);
        if (total == 0) return 1;
        double h = 0;
        foreach (var c in counts) if (c > 0) h -= c / total * Math.Log(c / total);
        return Math.Exp(h);
    }
}
