using ILGPU;

namespace IlgpuVq.Kernels;

/// <summary>
/// In-place codebook maintenance for the VQ-VAE, outside autograd, deterministic (no atomics).
/// z is read as rows of D values with stride <c>hw</c> between a row's elements: hw = 1 is the [N,D] layout and
/// hw = H·W reads [B,D,H,W] directly (row = b·HW + s, element d at (b·D + d)·HW + s).
/// EMA update: per-code position lists (the CSR that Embedding's backward builds with
/// <see cref="EmbeddingKernels.ExclusiveScan"/> and <see cref="EmbeddingKernels.FillPositions"/>, each code's positions
/// ascending), <see cref="EmaAccumulate"/> (one thread per (k,d),
/// summing its code's positions in list order), <see cref="SumCounts"/> (the total n, one thread, ascending k; K is
/// small, ≤ 4096) and <see cref="EmaNormalize"/> (Laplace smoothing and e_k = M_k / Ñ_k).
/// Dead-code restart: <see cref="AgeCodes"/>, <see cref="RestartCodes"/> (one thread per (k,d), the source row a
/// SplitMix64 hash of (seed, step, k)) and <see cref="ResetAges"/> (one thread, ascending k, counts the restarts).
/// </summary>
public static class CodebookMaintenanceKernels
{
    /// <summary>Thread (k,d) = k·dim + d: M[k,d] = γ·M[k,d] + (1−γ)·Σ_{p in list of k} z(p,d); thread d = 0 also
    /// sets N[k] = γ·N[k] + (1−γ)·n_k.</summary>
    public static void EmaAccumulate(Index1D thread, int total, int stride, ArrayView<float> z, ArrayView<int> offsets, ArrayView<int> list,
        ArrayView<float> emaCounts, ArrayView<float> emaSums, int dim, int hw, float decay)
    {
        for (long item = thread; item < total; item += stride)
        {
            int kd = (int)item;
            int k = kd / dim;
            int d = kd - k * dim;
            int start = offsets[k], end = offsets[k + 1];
            float sum = 0f;
            for (int j = start; j < end; j++) sum += z[RowElement(list[j], d, dim, hw)];
            emaSums[kd] = decay * emaSums[kd] + (1f - decay) * sum;
            if (d == 0) emaCounts[k] = decay * emaCounts[k] + (1f - decay) * (end - start);
        }
    }

    /// <summary>countSum[0] = Σ_k emaCounts[k], ascending k, in one thread; launched with total 1.</summary>
    public static void SumCounts(Index1D thread, int total, int stride, ArrayView<float> emaCounts, ArrayView<float> countSum, int codes)
    {
        for (long item = thread; item < total; item += stride)
        {
            int i = (int)item;
            if (i != 0) return;
            float sum = 0f;
            for (int k = 0; k < codes; k++) sum += emaCounts[k];
            countSum[0] = sum;
        }
    }

    /// <summary>codebook[k,d] = M[k,d] / Ñ_k with Ñ_k = (N_k + ε) / (n + K·ε) · n.</summary>
    public static void EmaNormalize(Index1D thread, int total, int stride, ArrayView<float> codebook, ArrayView<float> emaCounts, ArrayView<float> emaSums,
        ArrayView<float> countSum, int dim, int codes, float epsilon)
    {
        for (long item = thread; item < total; item += stride)
        {
            int kd = (int)item;
            int k = kd / dim;
            float n = countSum[0];
            float smoothed = (emaCounts[k] + epsilon) / (n + codes * epsilon) * n;
            codebook[kd] = emaSums[kd] / smoothed;
        }
    }

    /// <summary>ages[k] = 0 if counts[k] &gt; 0 else ages[k] + 1.</summary>
    public static void AgeCodes(Index1D thread, int total, int stride, ArrayView<int> counts, ArrayView<int> ages)
    {
        for (long item = thread; item < total; item += stride)
        {
            int k = (int)item;
            ages[k] = counts[k] > 0 ? 0 : ages[k] + 1;
        }
    }

    /// <summary>Thread (k,d): if ages[k] ≥ window, codebook[k,d] = z(r,d) with r = hash(seed, step, k) mod rows; with
    /// <paramref name="hasEma"/> ≠ 0 also emaSums[k,d] = z(r,d) and (d = 0) emaCounts[k] = 1. Ages are left alone.</summary>
    public static void RestartCodes(Index1D thread, int total, int stride, ArrayView<float> codebook, ArrayView<int> ages, ArrayView<float> z,
        ArrayView<float> emaCounts, ArrayView<float> emaSums, int dim, int hw, int rows, int window, ulong seed, long step, int hasEma)
    {
        for (long item = thread; item < total; item += stride)
        {
            int kd = (int)item;
            int k = kd / dim;
            if (ages[k] < window) continue;
            int d = kd - k * dim;
            int r = SourceRow(seed, step, k, rows);
            float v = z[RowElement(r, d, dim, hw)];
            codebook[kd] = v;
            if (hasEma != 0)
            {
                emaSums[kd] = v;
                if (d == 0) emaCounts[k] = 1f;
            }
        }
    }

    /// <summary>In one thread, ascending k: every ages[k] ≥ window becomes 0; restarted[0] += how many; launched with total 1.</summary>
    public static void ResetAges(Index1D thread, int total, int stride, ArrayView<int> ages, ArrayView<int> restarted, int codes, int window)
    {
        for (long item = thread; item < total; item += stride)
        {
            int i = (int)item;
            if (i != 0) return;
            int count = 0;
            for (int k = 0; k < codes; k++)
                if (ages[k] >= window)
                {
                    ages[k] = 0;
                    count++;
                }
            restarted[0] = restarted[0] + count;
        }
    }

    /// <summary>Flat index of element d of row r (row = b·hw + s).</summary>
    internal static long RowElement(int row, int d, int dim, int hw)
    {
        int b = row / hw;
        int s = row - b * hw;
        return ((long)b * dim + d) * hw + s;
    }

    /// <summary>SplitMix64 finalizer of x + golden gamma.</summary>
    internal static ulong Mix(ulong x)
    {
        x += 0x9E3779B97F4A7C15UL;
        x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9UL;
        x = (x ^ (x >> 27)) * 0x94D049BB133111EBUL;
        return x ^ (x >> 31);
    }

    /// <summary>Counter-based source row: Mix(Mix(seed ^ Mix(step)) ^ k) mod rows.</summary>
    static int SourceRow(ulong seed, long step, int k, int rows)
    {
        ulong h = Mix(Mix(seed ^ Mix((ulong)step)) ^ (ulong)(uint)k);
        return (int)(h % (ulong)rows);
    }
}
