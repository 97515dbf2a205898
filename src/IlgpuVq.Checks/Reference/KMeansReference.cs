namespace IlgpuVq.Checks.Reference;

/// <summary>Double-precision specification of the k-means codebook initialisation (engine: <c>IlgpuVq.Engine.Ops.CodebookInit</c>).
/// z is given as rows [rows, dim] (NCHW data via <see cref="CodebookReference.NchwToRows"/>).</summary>
public static class KMeansReference
{
    const ulong Salt = 0x6B6D65616E73UL;

    /// <summary>The hash of code k's draw: SplitMix(SplitMix(seed ^ salt) ^ k).</summary>
    static ulong Draw(ulong seed, int k) => CodebookMaintenanceReference.SplitMix(CodebookMaintenanceReference.SplitMix(seed ^ Salt) ^ (uint)k);

    /// <summary>k-means++ seeding: code 0 is row hash mod rows; code k is the first row whose cumulative squared distance to
    /// its nearest earlier code exceeds u·(the sum of those distances), u = (hash &gt;&gt; 40)/2²⁴, the target rounded to float as on the device (hash mod rows if that sum is 0).
    /// Returns the chosen rows.</summary>
    public static int[] SeedRows(double[] z, int rows, int dim, int codes, ulong seed, double[] codebook)
    {
        var chosen = new int[codes];
        var minDist = new double[rows];
        for (int k = 0; k < codes; k++)
        {
            if (k > 0)
                for (int r = 0; r < rows; r++)
                {
                    double d = Distance(z, r, codebook, k - 1, dim);
                    minDist[r] = k == 1 ? d : Math.Min(minDist[r], d);
                }
            ulong h = Draw(seed, k);
            int row = (int)(h % (ulong)rows);
            double total = minDist.Sum();
            if (k > 0 && total > 0)
            {
                double target = (float)((h >> 40) / 16777216.0 * total), acc = 0; // the device's float product, correctly rounded
                for (row = 0; row < rows; row++)
                {
                    acc += minDist[row];
                    if (acc > target) break;
                }
            }
            chosen[k] = row;
            Array.Copy(z, row * dim, codebook, k * dim, dim);
        }
        return chosen;
    }

    /// <summary>Seeding then <paramref name="iterations"/> Lloyd steps (nearest code, ties → lowest index; each non-empty
    /// cluster's code becomes its mean) on codebook [K,D], in place.</summary>
    public static void KMeans(double[] codebook, double[] z, int rows, int dim, int codes, int iterations, ulong seed)
    {
        SeedRows(z, rows, dim, codes, seed, codebook);
        for (int i = 0; i < iterations; i++)
        {
            var idx = CodebookReference.Nearest(z, codebook, rows, codes, dim);
            var n = new double[codes];
            var s = new double[codes * dim];
            for (int r = 0; r < rows; r++)
            {
                n[idx[r]]++;
                for (int d = 0; d < dim; d++) s[idx[r] * dim + d] += z[r * dim + d];
            }
            for (int k = 0; k < codes; k++)
                if (n[k] > 0)
                    for (int d = 0; d < dim; d++) codebook[k * dim + d] = s[k * dim + d] / n[k];
        }
    }

    static double Distance(double[] z, int r, double[] codebook, int k, int dim)
    {
        double sum = 0;
        for (int d = 0; d < dim; d++)
        {
            double diff = z[r * dim + d] - codebook[k * dim + d];
            sum += diff * diff;
        }
        return sum;
    }
}
