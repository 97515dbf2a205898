namespace IlgpuVq.Checks.Reference;

/// <summary>Double-precision specification of codebook maintenance (engine: <c>IlgpuVq.Engine.Ops.CodebookMaintenance</c>).
/// z is given as rows [rows, dim] (row r's element d at z[r·dim + d]; NCHW data via <see cref="CodebookReference.NchwToRows"/>).</summary>
public static class CodebookMaintenanceReference
{
    /// <summary>One EMA step, in place on codebook [K,D], counts [K], sums [K,D]: N ← γN + (1−γ)n, M ← γM + (1−γ)s,
    /// Ñ_k = (N_k + ε)/(n + Kε)·n with n = Σ N, e_k = M_k / Ñ_k. Indices outside [0, K) are ignored.</summary>
    public static void EmaUpdate(double[] codebook, double[] counts, double[] sums, double[] z, int[] indices, int codes, int dim,
        double decay, double epsilon)
    {
        var n = new double[codes];
        var s = new double[codes * dim];
        for (int r = 0; r < indices.Length; r++)
        {
            int k = indices[r];
            if (k < 0 || k >= codes) continue;
            n[k] += 1;
            for (int d = 0; d < dim; d++) s[k * dim + d] += z[r * dim + d];
        }
        for (int k = 0; k < codes; k++)
        {
            counts[k] = decay * counts[k] + (1 - decay) * n[k];
            for (int d = 0; d < dim; d++) sums[k * dim + d] = decay * sums[k * dim + d] + (1 - decay) * s[k * dim + d];
        }
        double total = counts.Sum();
        for (int k = 0; k < codes; k++)
        {
            double smoothed = (counts[k] + epsilon) / (total + codes * epsilon) * total;
            for (int d = 0; d < dim; d++) codebook[k * dim + d] = sums[k * dim + d] / smoothed;
        }
    }

    /// <summary>ages[k] = 0 if k occurs in indices, else ages[k] + 1.</summary>
    public static void TrackUsage(int[] ages, int[] indices)
    {
        for (int k = 0; k < ages.Length; k++) ages[k] = indices.Contains(k) ? 0 : ages[k] + 1;
    }

    /// <summary>SplitMix64 step: (x + 0x9E3779B97F4A7C15) through the SplitMix64 finalizer.</summary>
    public static ulong SplitMix(ulong x) => SplitMix64.Mix(x);

    /// <summary>The batch row a dead code k restarts from: SplitMix(SplitMix(seed ^ SplitMix(step)) ^ k) mod rows.</summary>
    public static int SourceRow(ulong seed, long step, int k, int rows) =>
        (int)(SplitMix(SplitMix(seed ^ SplitMix(unchecked((ulong)step))) ^ (uint)k) % (ulong)rows);

    /// <summary>Codes with ages ≥ window become z row <see cref="SourceRow"/>, age 0, and (if given) count 1 and sum z_r.
    /// Returns how many were restarted.</summary>
    public static int RestartDead(double[] codebook, int[] ages, double[] z, int rows, int dim, int window, ulong seed, long step,
        double[]? counts = null, double[]? sums = null)
    {
        if (rows == 0) return 0;
        int restarted = 0;
        for (int k = 0; k < ages.Length; k++)
        {
            if (ages[k] < window) continue;
            int r = SourceRow(seed, step, k, rows);
            for (int d = 0; d < dim; d++)
            {
                codebook[k * dim + d] = z[r * dim + d];
                if (sums != null) sums[k * dim + d] = z[r * dim + d];
            }
            if (counts != null) counts[k] = 1;
            ages[k] = 0;
            restarted++;
        }
        return restarted;
    }
}
