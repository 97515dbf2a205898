using ILGPU;
using IlgpuVq.Kernels;
using IlgpuVq.Engine.Ops;
using V = ILGPU.ArrayView<float>;
using I = ILGPU.ArrayView<int>;

namespace IlgpuVq.Engine.Native;

/// <summary>
/// Native embedding kernels (<see cref="EmbeddingKernels"/>). Gathers copy runs of one table row (or one code's
/// column over consecutive NCHW positions); the per-code position lists (CSR) are built in one O(N) serial pass each
/// instead of the kernels' one-scan-per-code O(K·N), with the same contents (each code's positions ascending); the
/// backward sums visit each code's positions in list order, exactly as the kernels do, so all outputs are bit-identical.
/// </summary>
public static unsafe class EmbeddingNative
{
    /// <summary>Codes per parallel work item of the backward sums.</summary>
    const int CodesPerBlock = 8;

    internal static void Register(NativeRegistry r)
    {
        r.Add(Embedding.GatherKernel, Gather);
        r.Add(Embedding.GatherNchwKernel, GatherNchw);
        r.Add(Embedding.CountKernel, CountIndices);
        r.Add(Embedding.FillKernel, FillPositions);
        r.Add(Embedding.BackKernel, GatherBackward);
        r.Add(Embedding.BackNchwKernel, GatherNchwBackward);
    }

    /// <summary>y[p·dim + d] = table[idx[p], d] (0 when idx[p] ∉ [0, codes)) for elements &lt; total.</summary>
    public static void Gather(Index1D thread, int total, int stride, V table, I idx, V y, int codes, int dim)
    {
        float* pt = NativeView.Ptr(table), py = NativeView.Ptr(y);
        int* pi = NativeView.Ptr(idx);
        NativeParallel.ForBlocks(total, SimdMap.Block, (start, end) => PlaneRuns.Split(start, end, dim, (i, p, d0, length) =>
        {
            int k = pi[p];
            var run = new Span<float>(py + i, (int)length);
            if (k >= 0 && k < codes) new ReadOnlySpan<float>(pt + (long)k * dim + d0, (int)length).CopyTo(run);
            else run.Clear();
        }));
    }

    /// <summary>y[b, d, s] = table[idx[b·hw + s], d] (0 for an out-of-range index) for elements &lt; total.</summary>
    public static void GatherNchw(Index1D thread, int total, int stride, V table, I idx, V y, int codes, int dim, int hw)
    {
        float* pt = NativeView.Ptr(table), py = NativeView.Ptr(y);
        int* pi = NativeView.Ptr(idx);
        NativeParallel.ForBlocks(total, SimdMap.Block, (start, end) => PlaneRuns.Split(start, end, hw, (i, plane, s0, length) =>
        {
            long b = plane / dim, d = plane - b * dim;
            int* codeOf = pi + b * hw + s0;
            for (long j = 0; j < length; j++)
            {
                int k = codeOf[j];
                py[i + j] = k >= 0 && k < codes ? pt[(long)k * dim + d] : 0f;
            }
        }));
    }

    /// <summary>counts[k] = number of p &lt; positions with idx[p] == k, for k &lt; total (one serial pass).</summary>
    public static void CountIndices(Index1D thread, int total, int stride, I idx, I counts, int positions)
    {
        int* pi = NativeView.Ptr(idx), pc = NativeView.Ptr(counts);
        new Span<int>(pc, total).Clear();
        for (int p = 0; p < positions; p++)
        {
            int k = pi[p];
            if (k >= 0 && k < total) pc[k]++;
        }
    }

    /// <summary>For k &lt; total: the positions p with idx[p] == k, ascending, written to list[offsets[k] ..] (one serial pass).</summary>
    public static void FillPositions(Index1D thread, int total, int stride, I idx, I offsets, I list, int positions)
    {
        int* pi = NativeView.Ptr(idx), po = NativeView.Ptr(offsets), pl = NativeView.Ptr(list);
        int* cursor = NativeScratch.GetInts(ScratchSlot.Cursors, total);
        new ReadOnlySpan<int>(po, total).CopyTo(new Span<int>(cursor, total));
        for (int p = 0; p < positions; p++)
        {
            int k = pi[p];
            if (k >= 0 && k < total) pl[cursor[k]++] = p;
        }
    }

    /// <summary>dtable[k, d] = Σ over k's listed positions p (list order) of dy[p, d], for elements &lt; total.</summary>
    public static void GatherBackward(Index1D thread, int total, int stride, V dy, I offsets, I list, V dtable, int dim)
    {
        float* pdy = NativeView.Ptr(dy);
        SumPerCode(total, dim, NativeView.Ptr(offsets), NativeView.Ptr(list), NativeView.Ptr(dtable),
            (sum, p) => SimdMap.BinaryRange(sum, pdy + (long)p * dim, sum, 0, dim, new Sum()));
    }

    /// <summary>dtable[k, d] = Σ over k's listed positions p = b·hw + s (list order) of dy[b, d, s], for elements &lt; total.</summary>
    public static void GatherNchwBackward(Index1D thread, int total, int stride, V dy, I offsets, I list, V dtable, int dim, int hw)
    {
        float* pdy = NativeView.Ptr(dy);
        SumPerCode(total, dim, NativeView.Ptr(offsets), NativeView.Ptr(list), NativeView.Ptr(dtable), (sum, p) =>
        {
            int b = p / hw, s = p - b * hw;
            float* column = pdy + (long)b * dim * hw + s;
            for (int d = 0; d < dim; d++) sum[d] += column[(long)d * hw];
        });
    }

    /// <summary>Accumulates row k of dtable (elements &lt; total) from zero by <paramref name="addPosition"/>(row, p)
    /// for each of k's positions in list order, in parallel over blocks of codes.</summary>
    static void SumPerCode(int total, int dim, int* offsets, int* list, float* dtable, AddPosition addPosition)
    {
        if (total <= 0) return;
        int codes = (total + dim - 1) / dim;
        NativeParallel.ForBlocks(codes, CodesPerBlock, (start, end) =>
        {
            Span<float> buffer = dim <= 4096 ? stackalloc float[dim] : new float[dim];
            fixed (float* sum = buffer)
            for (long k = start; k < end; k++)
            {
                new Span<float>(sum, dim).Clear();
                for (int j = offsets[k]; j < offsets[k + 1]; j++) addPosition(sum, list[j]);
                long first = k * dim;
                int count = (int)Math.Min(dim, total - first);
                new ReadOnlySpan<float>(sum, count).CopyTo(new Span<float>(dtable + first, count));
            }
        });
    }

    delegate void AddPosition(float* sum, int position);
}
