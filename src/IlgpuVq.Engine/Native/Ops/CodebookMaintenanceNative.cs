using ILGPU;
using IlgpuVq.Kernels;
using IlgpuVq.Engine.Ops;
using V = ILGPU.ArrayView<float>;

namespace IlgpuVq.Engine.Native;

/// <summary>
/// The native EMA accumulation of the codebook update (<see cref="CodebookMaintenanceKernels.EmaAccumulate"/>, which ran on the
/// host at about 1 % of a ref VQ-VAE step): per code, each of its listed rows is located once and its D values added to the
/// code's D running sums, rows in list order, so every (code, d) sum adds the same values in the same order from 0 as the
/// kernel does and the results are its bits; codes run in fixed blocks in parallel.
/// </summary>
public static unsafe class CodebookMaintenanceNative
{
    /// <summary>Codes per parallel work item (fixed, so the partition never depends on the worker count).</summary>
    const int CodesPerBlock = 16;

    internal static void Register(NativeRegistry r) => r.Add(CodebookMaintenance.AccumulateKernel, EmaAccumulate);

    /// <summary>For every code k &lt; total / dim: emaSums[k, ·] ← γ·emaSums[k, ·] + (1 − γ)·Σ of its rows of z, emaCounts[k] ←
    /// γ·emaCounts[k] + (1 − γ)·(its row count) (see <see cref="CodebookMaintenanceKernels.EmaAccumulate"/>).</summary>
    public static void EmaAccumulate(Index1D thread, int total, int stride, V z, ArrayView<int> offsets, ArrayView<int> list,
        V emaCounts, V emaSums, int dim, int hw, float decay)
    {
        if (total <= 0 || dim <= 0) return;
        float* pz = NativeView.Ptr(z), pc = NativeView.Ptr(emaCounts), ps = NativeView.Ptr(emaSums);
        int* po = NativeView.Ptr(offsets), pl = NativeView.Ptr(list);
        NativeParallel.ForBlocks(total / dim, CodesPerBlock, (k0, k1) =>
        {
            float* sum = NativeScratch.Get(ScratchSlot.CodeSums, dim);
            for (long k = k0; k < k1; k++)
            {
                new Span<float>(sum, dim).Clear();
                int start = po[k], end = po[k + 1];
                for (int j = start; j < end; j++)
                {
                    int row = pl[j], b = row / hw;
                    float* zr = pz + (long)b * dim * hw + (row - b * hw); // element d at zr[d·hw]
                    if (hw == 1) NativeVector.AddTo(sum, zr, dim);
                    else
                        for (int d = 0; d < dim; d++) sum[d] += zr[(long)d * hw];
                }
                float* m = ps + k * dim;
                for (int d = 0; d < dim; d++) m[d] = decay * m[d] + (1f - decay) * sum[d];
                pc[k] = decay * pc[k] + (1f - decay) * (end - start);
            }
        });
    }
}
