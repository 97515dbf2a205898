using ILGPU;

namespace IlgpuVq.Kernels;

/// <summary>
/// Data-dependent codebook initialisation: k-means++ seeding (Arthur and Vassilvitskii 2007) of K codes from the rows
/// of z, deterministic from a seed and without atomics. z is read as rows of D values with stride <c>hw</c> between a
/// row's elements (hw = 1: [N,D]; hw = H·W: [B,D,H,W], row = b·HW + s), as in <see cref="CodebookMaintenanceKernels"/>.
/// Per code k: <see cref="UpdateDistances"/> (one thread per fixed chunk of rows: each row's squared distance to its
/// nearest code so far, and the chunk's sum in ascending row order), <see cref="PickRow"/> (one thread: the row at
/// u·Σ of the cumulative distances, u a SplitMix64 hash of (seed, k); code 0, and any code once every distance is 0, a
/// uniformly hashed row) and <see cref="CopyRow"/>. The Lloyd iterations after the seeding use the codebook search
/// (<see cref="CodebookKernels.NearestCode"/>), the per-code sums of <see cref="CodebookMaintenanceKernels.EmaAccumulate"/>
/// (decay 0) and <see cref="MeansOrKeep"/>.
/// </summary>
public static class KMeansKernels
{
    /// <summary>Salt of the seeding hash, so its draws differ from the dead-code restarts' for the same seed.</summary>
    const ulong Salt = 0x6B6D65616E73UL;

    /// <summary>Thread c: for rows r in [c·chunk, min(rows, (c+1)·chunk)), d_r = Σ_d (z(r,d) − codebook[center,d])² and
    /// minDist[r] = d_r (when <paramref name="first"/> ≠ 0) or min(minDist[r], d_r); partials[c] = Σ minDist[r], ascending r.</summary>
    public static void UpdateDistances(Index1D thread, int total, int stride, ArrayView<float> z, ArrayView<float> codebook, ArrayView<float> minDist,
        ArrayView<float> partials, int rows, int dim, int hw, int chunk, int center, int first)
    {
        for (long item = thread; item < total; item += stride)
        {
            int c = (int)item;
            int start = c * chunk;
            int end = start + chunk < rows ? start + chunk : rows;
            float sum = 0f;
            for (int r = start; r < end; r++)
            {
                int b = r / hw;
                long zBase = (long)b * dim * hw + (r - b * hw);
                float dist = 0f;
                for (int d = 0; d < dim; d++)
                {
                    float diff = z[zBase + (long)d * hw] - codebook[(long)center * dim + d];
                    dist += diff * diff;
                }
                float m = first != 0 || dist < minDist[r] ? dist : minDist[r];
                minDist[r] = m;
                sum += m;
            }
            partials[c] = sum;
        }
    }

    /// <summary>One thread (launched with total 1): chosen[0] = the first row r whose cumulative distance Σ_{j≤r} minDist[j]
    /// exceeds u·Σ minDist (float: the chunk sums in order, then the rows of the chunk reached), u = (hash(seed, center) &gt;&gt; 40) / 2²⁴;
    /// for center 0 or an all-zero total, the row hash mod rows. No doubles: OpenCL devices may lack them.</summary>
    public static void PickRow(Index1D thread, int total, int stride, ArrayView<float> minDist, ArrayView<float> partials, ArrayView<int> chosen,
        int rows, int chunk, int chunks, ulong seed, int center)
    {
        for (long item = thread; item < total; item += stride)
        {
            if (item != 0) return;
            ulong h = CodebookMaintenanceKernels.Mix(CodebookMaintenanceKernels.Mix(seed ^ Salt) ^ (ulong)(uint)center);
            int row = (int)(h % (ulong)rows);
            float sum = 0f;
            for (int c = 0; c < chunks; c++) sum += partials[c];
            if (center > 0 && sum > 0f)
            {
                float target = (int)(h >> 40) * (1f / 16777216f) * sum; // int, not ulong, to float: no double on the way
                float acc = 0f;
                int c = 0;
                while (c < chunks - 1 && acc + partials[c] <= target)
                {
                    acc += partials[c];
                    c++;
                }
                int start = c * chunk;
                int end = start + chunk < rows ? start + chunk : rows;
                row = -1;
                int lastPositive = start;
                for (int r = start; r < end && row < 0; r++)
                {
                    if (minDist[r] > 0) lastPositive = r;
                    acc += minDist[r];
                    if (acc > target && minDist[r] > 0) row = r;
                }
                if (row < 0) row = lastPositive; // rounding carried the target past the chunk's end
            }
            chosen[0] = row;
        }
    }

    /// <summary>Thread d: codebook[center, d] = z(chosen[0], d).</summary>
    public static void CopyRow(Index1D thread, int total, int stride, ArrayView<float> z, ArrayView<int> chosen, ArrayView<float> codebook, int dim, int hw, int center)
    {
        for (long item = thread; item < total; item += stride)
        {
            int d = (int)item;
            codebook[(long)center * dim + d] = z[CodebookMaintenanceKernels.RowElement(chosen[0], d, dim, hw)];
        }
    }

    /// <summary>Thread (k,d): codebook[k,d] = sums[k,d] / counts[k] where counts[k] &gt; 0; an empty cluster keeps its code.</summary>
    public static void MeansOrKeep(Index1D thread, int total, int stride, ArrayView<float> codebook, ArrayView<float> counts, ArrayView<float> sums, int dim)
    {
        for (long item = thread; item < total; item += stride)
        {
            int kd = (int)item;
            int k = kd / dim;
            if (counts[k] > 0) codebook[kd] = sums[kd] / counts[k];
        }
    }
}
