using ILGPU;
using IlgpuVq.Kernels;

namespace IlgpuVq.Engine.Native;

/// <summary>Native nearest-code search (<see cref="CodebookKernels.NearestCode"/>): same distances, same tie rule.</summary>
public static unsafe class CodebookNative
{
    internal static void Register(NativeRegistry r) =>
        r.Explicit<Action<KernelConfig, ArrayView<float>, ArrayView<float>, ArrayView<int>, int, int, int, int, int>>(CodebookKernels.NearestCode, NearestCode);

    /// <summary>indices[row] = argmin_k Σ_d (z[row,d] − e[k,d])², summed over d in ascending order (lowest k on exact ties).</summary>
    public static void NearestCode(KernelConfig config, ArrayView<float> z, ArrayView<float> codebook, ArrayView<int> indices,
        int rows, int codes, int dim, int hw, int tileCodes)
    {
        float* pz = NativeView.Ptr(z), pe = NativeView.Ptr(codebook);
        int* pi = NativeView.Ptr(indices);
        NativeParallel.ForBlocks(rows, 64, (start, end) =>
        {
            for (long row = start; row < end; row++)
            {
                long b = row / hw, s = row - b * hw, zBase = b * dim * hw + s;
                float best = float.PositiveInfinity;
                int bestCode = 0;
                for (int k = 0; k < codes; k++)
                {
                    float dist = 0f;
                    float* e = pe + (long)k * dim;
                    for (int d = 0; d < dim; d++)
                    {
                        float diff = pz[zBase + (long)d * hw] - e[d];
                        dist += diff * diff;
                    }
                    if (dist < best) { best = dist; bestCode = k; }
                }
                pi[row] = bestCode;
            }
        });
    }
}
