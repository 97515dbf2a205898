using System.Runtime.Intrinsics;
using ILGPU;
using IlgpuVq.Kernels;
using IlgpuVq.Engine.Ops;
using V = ILGPU.ArrayView<float>;

namespace IlgpuVq.Engine.Native;

/// <summary>
/// Native k-means++ seeding distances (<see cref="KMeansKernels.UpdateDistances"/>, the hot part of the codebook
/// initialisation: K passes over all N·D latents). Each distance is computed exactly as the kernel does (float, d ascending,
/// diff·diff then add, no FMA) and each chunk's sum adds its rows in ascending order, so results equal the kernel's bit for
/// bit; it vectorises across 16 consecutive positions of one image (in NCHW they are contiguous for every d).
/// </summary>
public static unsafe class KMeansNative
{
    const int Lanes = 16;

    internal static void Register(NativeRegistry r) =>
        r.Add(CodebookInit.UpdateKernel, UpdateDistances);

    /// <summary>For every chunk c &lt; total: the kernel's minDist update of its rows and partials[c].</summary>
    public static void UpdateDistances(Index1D thread, int total, int stride, V z, V codebook, V minDist, V partials,
        int rows, int dim, int hw, int chunk, int center, int first)
    {
        float* pz = NativeView.Ptr(z), pm = NativeView.Ptr(minDist), pp = NativeView.Ptr(partials);
        float* code = NativeView.Ptr(codebook) + (long)center * dim;
        NativeParallel.For(total, c =>
        {
            int start = c * chunk, end = Math.Min(start + chunk, rows);
            float* dist = stackalloc float[Lanes];
            for (int r = start; r < end;)
            {
                int b = r / hw, s = r - b * hw;
                int run = Math.Min(end - r, hw - s); // rows of one image: contiguous positions
                float* zBase = pz + (long)b * dim * hw + s;
                int j = 0;
                for (; j + Lanes <= run; j += Lanes)
                {
                    var acc = Vector512<float>.Zero;
                    for (int d = 0; d < dim; d++)
                    {
                        var diff = Vector512.Load(zBase + (long)d * hw + j) - Vector512.Create(code[d]);
                        acc += diff * diff;
                    }
                    acc.Store(dist);
                    for (int i = 0; i < Lanes; i++) Keep(pm, r + j + i, dist[i], first);
                }
                for (; j < run; j++)
                {
                    float sum = 0f;
                    for (int d = 0; d < dim; d++)
                    {
                        float diff = zBase[(long)d * hw + j] - code[d];
                        sum += diff * diff;
                    }
                    Keep(pm, r + j, sum, first);
                }
                r += run;
            }
            float chunkSum = 0f;
            for (int r = start; r < end; r++) chunkSum += pm[r];
            pp[c] = chunkSum;
        });
    }

    static void Keep(float* minDist, int row, float dist, int first) =>
        minDist[row] = first != 0 || dist < minDist[row] ? dist : minDist[row];
}
