using ILGPU;

namespace IlgpuVq.Kernels;

/// <summary>
/// Embedding lookup: rows of a table [K,D] gathered by int32 indices, either appended as a last axis
/// (indices S → S×D) or written straight into NCHW (indices [B,H,W] → [B,D,H,W], the PixelCNN input and the
/// VQ codebook lookup). Indices outside [0, K) read as a zero row and receive no gradient (no kernel reads
/// out of bounds; the host never inspects indices).
/// The backward pass is deterministic and free of atomics: it builds a CSR list of positions per code
/// (<see cref="CountIndices"/>, <see cref="ExclusiveScan"/>, <see cref="FillPositions"/>; each code's positions in
/// ascending order) and then one work item per table element (k, d) sums its positions' upstream gradients in
/// that fixed order (<see cref="GatherBackward"/> / <see cref="GatherNchwBackward"/>).
/// </summary>
public static class EmbeddingKernels
{
    /// <summary>y[p, d] = table[idx[p], d] (0 for an out-of-range index); work items P·D.</summary>
    public static void Gather(Index1D thread, int total, int stride, ArrayView<float> table, ArrayView<int> idx, ArrayView<float> y, int codes, int dim)
    {
        for (long item = thread; item < total; item += stride)
        {
            int i = (int)item;
            int p = i / dim;
            int d = i - p * dim;
            int k = idx[p];
            y[i] = k >= 0 && k < codes ? table[(long)k * dim + d] : 0f;
        }
    }

    /// <summary>y[b, d, s] = table[idx[b, s], d] with s = h·W + w (0 for an out-of-range index); work items B·D·HW.</summary>
    public static void GatherNchw(Index1D thread, int total, int stride, ArrayView<float> table, ArrayView<int> idx, ArrayView<float> y, int codes, int dim, int hw)
    {
        for (long item = thread; item < total; item += stride)
        {
            int i = (int)item;
            int block = dim * hw;
            int b = i / block;
            int r = i - b * block;
            int d = r / hw;
            int s = r - d * hw;
            int k = idx[(long)b * hw + s];
            y[i] = k >= 0 && k < codes ? table[(long)k * dim + d] : 0f;
        }
    }

    /// <summary>counts[k] = number of positions p &lt; <paramref name="positions"/> with idx[p] == k; work items K.</summary>
    public static void CountIndices(Index1D thread, int total, int stride, ArrayView<int> idx, ArrayView<int> counts, int positions)
    {
        for (long item = thread; item < total; item += stride)
        {
            int k = (int)item;
            int n = 0;
            for (int p = 0; p < positions; p++)
                if (idx[p] == k) n++;
            counts[k] = n;
        }
    }

    /// <summary>offsets[k] = Σ_{j&lt;k} counts[j] for k ≤ K (offsets has K+1 entries); launched with total 1.</summary>
    public static void ExclusiveScan(Index1D thread, int total, int stride, ArrayView<int> counts, ArrayView<int> offsets, int codes)
    {
        for (long item = thread; item < total; item += stride)
        {
            int i = (int)item;
            if (i != 0) return;
            int sum = 0;
            for (int k = 0; k < codes; k++)
            {
                offsets[k] = sum;
                sum += counts[k];
            }
            offsets[codes] = sum;
        }
    }

    /// <summary>Writes the positions holding code k, ascending, to list[offsets[k] ..]; work items K.</summary>
    public static void FillPositions(Index1D thread, int total, int stride, ArrayView<int> idx, ArrayView<int> offsets, ArrayView<int> list, int positions)
    {
        for (long item = thread; item < total; item += stride)
        {
            int k = (int)item;
            int w = offsets[k];
            for (int p = 0; p < positions; p++)
                if (idx[p] == k) list[w++] = p;
        }
    }

    /// <summary>dtable[k, d] = Σ over k's positions p (ascending) of dy[p, d]; work items K·D.</summary>
    public static void GatherBackward(Index1D thread, int total, int stride, ArrayView<float> dy, ArrayView<int> offsets, ArrayView<int> list, ArrayView<float> dtable, int dim)
    {
        for (long item = thread; item < total; item += stride)
        {
            int e = (int)item;
            int k = e / dim;
            int d = e - k * dim;
            float sum = 0f;
            for (int j = offsets[k]; j < offsets[k + 1]; j++)
                sum += dy[(long)list[j] * dim + d];
            dtable[e] = sum;
        }
    }

    /// <summary>dtable[k, d] = Σ over k's positions p = b·HW + s (ascending) of dy[b, d, s]; work items K·D.</summary>
    public static void GatherNchwBackward(Index1D thread, int total, int stride, ArrayView<float> dy, ArrayView<int> offsets, ArrayView<int> list, ArrayView<float> dtable, int dim, int hw)
    {
        for (long item = thread; item < total; item += stride)
        {
            int e = (int)item;
            int k = e / dim;
            int d = e - k * dim;
            float sum = 0f;
            for (int j = offsets[k]; j < offsets[k + 1]; j++)
            {
                int p = list[j];
                int b = p / hw;
                int s = p - b * hw;
                sum += dy[((long)b * dim + d) * hw + s];
            }
            dtable[e] = sum;
        }
    }
}
