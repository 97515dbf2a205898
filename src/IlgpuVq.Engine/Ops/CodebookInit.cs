using ILGPU;
using IlgpuVq.Engine.Devices;
using IlgpuVq.Engine.Tensors;
using IlgpuVq.Kernels;
using UpdateK = System.Action<ILGPU.Index1D, int, int, ILGPU.ArrayView<float>, ILGPU.ArrayView<float>, ILGPU.ArrayView<float>, ILGPU.ArrayView<float>, int, int, int, int, int, int>;
using PickK = System.Action<ILGPU.Index1D, int, int, ILGPU.ArrayView<float>, ILGPU.ArrayView<float>, ILGPU.ArrayView<int>, int, int, int, ulong, int>;
using CopyK = System.Action<ILGPU.Index1D, int, int, ILGPU.ArrayView<float>, ILGPU.ArrayView<int>, ILGPU.ArrayView<float>, int, int, int>;
using MeansK = System.Action<ILGPU.Index1D, int, int, ILGPU.ArrayView<float>, ILGPU.ArrayView<float>, ILGPU.ArrayView<float>, int>;

namespace IlgpuVq.Engine.Ops;

/// <summary>
/// Data-dependent codebook initialisation, in place and outside autograd (kernels: <see cref="KMeansKernels"/>; reference:
/// <c>IlgpuVq.Checks.Reference.KMeansReference</c>): k-means++ seeding from the rows of z, then Lloyd iterations whose
/// assignments are the codebook search (<see cref="Codebook.NearestIndices"/>) and whose means are the fixed-order per-code
/// sums of the EMA update; an empty cluster keeps its code. Deterministic from the seed, no atomics, no host copies.
/// <code>
/// using (GradMode.NoGrad()) CodebookInit.KMeans(E, encoder.Forward(firstBatch), iterations: 10, seed);
/// </code>
/// </summary>
public static class CodebookInit
{
    /// <summary>Row chunks of the seeding's distance sums: a fixed reduction shape, independent of the device.</summary>
    public const int Chunks = 1024;

    internal static readonly KernelSlot<UpdateK> UpdateKernel = new(KMeansKernels.UpdateDistances);
    internal static readonly KernelSlot<PickK> PickKernel = new(KMeansKernels.PickRow);
    internal static readonly KernelSlot<CopyK> CopyKernel = new(KMeansKernels.CopyRow);
    internal static readonly KernelSlot<MeansK> MeansKernel = new(KMeansKernels.MeansOrKeep);

    /// <summary>
    /// codebook [K,D] ← k-means++ seeds from the rows of z ([N,D], or [B,D,H,W] read as its B·H·W positions) followed by
    /// <paramref name="iterations"/> Lloyd steps. With fewer distinct rows than codes the remaining codes repeat rows
    /// (hashed uniformly); nothing happens for an empty z.
    /// </summary>
    public static void KMeans(Tensor codebook, Tensor z, int iterations, ulong seed)
    {
        const string op = "codebook_kmeans_init";
        Shape.RequireRank(op, codebook, 2);
        Shape.RequireSameDevice(op, codebook, z);
        int codes = codebook.Shape[0], dim = codebook.Shape[1];
        int rows, hw;
        if (z.Rank == 2 && z.Shape[1] == dim) (rows, hw) = (z.Shape[0], 1);
        else if (z.Rank == 4 && z.Shape[1] == dim) (rows, hw) = (z.Shape[0] * z.Shape[2] * z.Shape[3], z.Shape[2] * z.Shape[3]);
        else throw new ArgumentException($"{op}: z {z.Describe()} must be [N,{dim}] or [B,{dim},H,W] for codebook {codebook.Describe()}");
        if (codebook.DType != DType.Float32 || z.DType != DType.Float32) throw new ArgumentException($"{op}: codebook and z must be Float32");
        if (iterations < 0) throw new ArgumentException($"{op}: iterations must be ≥ 0, got {iterations}");
        if (rows == 0 || codes * dim == 0) return;
        var device = z.Device;
        int chunk = (rows + Chunks - 1) / Chunks;
        int chunks = (rows + chunk - 1) / chunk;
        var minDist = Tensor.Empty(device, rows);
        var partials = Tensor.Empty(device, chunks);
        var chosen = Tensor.EmptyInt(device, 1);
        for (int k = 0; k < codes; k++)
        {
            if (k > 0) device.Launch(UpdateKernel, chunks, z.View, codebook.View, minDist.View, partials.View, rows, dim, hw, chunk, k - 1, k == 1 ? 1 : 0);
            device.Launch(PickKernel, 1, minDist.View, partials.View, chosen.IntView, rows, chunk, chunks, seed, k);
            device.Launch(CopyKernel, dim, z.View, chosen.IntView, codebook.View, dim, hw, k);
        }
        for (int i = 0; i < iterations; i++)
        {
            var indices = Codebook.NearestIndices(z, codebook);
            var counts = Tensor.Zeros(device, codes);
            var sums = Tensor.Zeros(device, codes, dim);
            CodebookMaintenance.SumByCode(counts, sums, z, indices);
            device.Launch(MeansKernel, codes * dim, codebook.View, counts.View, sums.View, dim);
        }
    }
}
