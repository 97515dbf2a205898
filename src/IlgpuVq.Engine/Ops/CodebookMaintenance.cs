using ILGPU;
using ILGPU.Runtime;
using IlgpuVq.Engine.Devices;
using IlgpuVq.Engine.Tensors;
using IlgpuVq.Kernels;
using AccumulateK = System.Action<ILGPU.Index1D, int, int, ILGPU.ArrayView<float>, ILGPU.ArrayView<int>, ILGPU.ArrayView<int>, ILGPU.ArrayView<float>, ILGPU.ArrayView<float>, int, int, float>;
using SumK = System.Action<ILGPU.Index1D, int, int, ILGPU.ArrayView<float>, ILGPU.ArrayView<float>, int>;
using NormalizeK = System.Action<ILGPU.Index1D, int, int, ILGPU.ArrayView<float>, ILGPU.ArrayView<float>, ILGPU.ArrayView<float>, ILGPU.ArrayView<float>, int, int, float>;
using AgeK = System.Action<ILGPU.Index1D, int, int, ILGPU.ArrayView<int>, ILGPU.ArrayView<int>>;
using RestartK = System.Action<ILGPU.Index1D, int, int, ILGPU.ArrayView<float>, ILGPU.ArrayView<int>, ILGPU.ArrayView<float>, ILGPU.ArrayView<float>, ILGPU.ArrayView<float>, int, int, int, int, ulong, long, int>;
using ResetK = System.Action<ILGPU.Index1D, int, int, ILGPU.ArrayView<int>, ILGPU.ArrayView<int>, int, int>;

namespace IlgpuVq.Engine.Ops;

/// <summary>
/// In-place VQ-VAE codebook maintenance outside autograd (kernels: <see cref="CodebookMaintenanceKernels"/>;
/// reference: <c>IlgpuVq.Checks.Reference.CodebookMaintenanceReference</c>): the EMA codebook update of
/// van den Oord et al. (2017, appendix) and dead-code restarts from encoder outputs of the current batch.
/// Deterministic, no atomics, no host copies. z is [N,D] with indices [N], or [B,D,H,W] with indices [B,H,W].
/// A training step:
/// <code>
/// var (idx, _) = Codebook.NearestNchw(z, E);
/// CodebookMaintenance.EmaUpdate(E, N, M, z, idx, 0.99f, 1e-5f);
/// CodebookMaintenance.TrackUsage(ages, idx);
/// CodebookMaintenance.RestartDead(E, ages, z, window: 100, seed, step, restarted, N, M);
/// </code>
/// </summary>
public static class CodebookMaintenance
{
    internal static readonly KernelSlot<AccumulateK> AccumulateKernel = new(CodebookMaintenanceKernels.EmaAccumulate);
    internal static readonly KernelSlot<SumK> SumKernel = new(CodebookMaintenanceKernels.SumCounts);
    internal static readonly KernelSlot<NormalizeK> NormalizeKernel = new(CodebookMaintenanceKernels.EmaNormalize);
    internal static readonly KernelSlot<AgeK> AgeKernel = new(CodebookMaintenanceKernels.AgeCodes);
    internal static readonly KernelSlot<RestartK> RestartKernel = new(CodebookMaintenanceKernels.RestartCodes);
    internal static readonly KernelSlot<ResetK> ResetKernel = new(CodebookMaintenanceKernels.ResetAges);

    /// <summary>
    /// One EMA step, in place: N_k ← γN_k + (1−γ)n_k, M_k ← γM_k + (1−γ)s_k (n_k, s_k: count and sum of the rows of
    /// <paramref name="z"/> assigned to k), then codebook_k = M_k / Ñ_k with Ñ_k = (N_k + ε)/(n + Kε)·n, n = Σ N_k.
    /// Shapes: codebook [K,D], emaCounts [K], emaSums [K,D], z [N,D] with indices [N] or z [B,D,H,W] with indices
    /// [B,H,W]. Indices outside [0,K) are ignored. If every N_k is 0 (n = 0) the codebook becomes NaN, as in the formula.
    /// </summary>
    public static void EmaUpdate(Tensor codebook, Tensor emaCounts, Tensor emaSums, Tensor z, Tensor indices, float decay, float epsilon)
    {
        const string op = "codebook_ema_update";
        var (codes, dim, rows, hw) = CheckBatch(op, codebook, z, indices);
        Shape.RequireSameDevice(op, codebook, emaCounts, emaSums);
        RequireShape(op, emaCounts, DType.Float32, codes);
        RequireShape(op, emaSums, DType.Float32, codes, dim);
        if (codes * dim == 0) return;
        var device = codebook.Device;
        var (offsets, list) = Embedding.PositionsByCode(indices, codes);
        var total = Tensor.Empty(device, 1);
        device.Launch(AccumulateKernel, codes * dim, z.View, offsets.IntView, list.IntView, emaCounts.View, emaSums.View, dim, hw, decay);
        device.Launch(SumKernel, 1, emaCounts.View, total.View, codes);
        device.Launch(NormalizeKernel, codes * dim, codebook.View, emaCounts.View, emaSums.View, total.View, dim, codes, epsilon);
    }

    /// <summary>counts [K] and sums [K,D] (both zero on entry) become each code's number of assigned rows of z and their
    /// sum, each code's rows added in ascending order (the EMA accumulation with decay 0; for k-means means).</summary>
    internal static void SumByCode(Tensor counts, Tensor sums, Tensor z, Tensor indices)
    {
        const string op = "codebook_sum_by_code";
        var (codes, dim, _, hw) = CheckBatch(op, sums, z, indices);
        if (codes * dim == 0) return;
        var device = z.Device;
        var (offsets, list) = Embedding.PositionsByCode(indices, codes);
        device.Launch(AccumulateKernel, codes * dim, z.View, offsets.IntView, list.IntView, counts.View, sums.View, dim, hw, 0f);
    }

    /// <summary>ages [K] (int32), in place: 0 for every code that occurs in <paramref name="indices"/>, +1 for the rest.</summary>
    public static void TrackUsage(Tensor ages, Tensor indices)
    {
        const string op = "codebook_track_usage";
        Shape.RequireSameDevice(op, ages, indices);
        if (ages.DType != DType.Int32 || ages.Rank != 1) throw new ArgumentException($"{op}: ages must be Int32 [K], got {ages.Describe()}");
        int codes = ages.Shape[0];
        var counts = Embedding.CountIndices(indices, codes);
        if (codes > 0) ages.Device.Launch(AgeKernel, codes, counts.IntView, ages.IntView);
    }

    /// <summary>
    /// Every code k with ages[k] ≥ <paramref name="window"/> becomes row r of <paramref name="z"/> ([N,D] rows or NCHW
    /// pixels, r = SplitMix64 hash of (seed, step, k) mod N), its age 0 and, with EMA buffers, N_k = 1 and M_k = z_r;
    /// restartedCount[0] (int32 [1]) is increased by the number restarted. Nothing happens for an empty batch.
    /// </summary>
    public static void RestartDead(Tensor codebook, Tensor ages, Tensor z, int window, ulong seed, long step, Tensor restartedCount,
        Tensor? emaCounts = null, Tensor? emaSums = null)
    {
        const string op = "codebook_restart_dead";
        Shape.RequireRank(op, codebook, 2);
        int codes = codebook.Shape[0], dim = codebook.Shape[1];
        int rows, hw;
        if (z.Rank == 2 && z.Shape[1] == dim) (rows, hw) = (z.Shape[0], 1);
        else if (z.Rank == 4 && z.Shape[1] == dim) (rows, hw) = (z.Shape[0] * z.Shape[2] * z.Shape[3], z.Shape[2] * z.Shape[3]);
        else throw new ArgumentException($"{op}: z {z.Describe()} must be [N,{dim}] or [B,{dim},H,W] for codebook {codebook.Describe()}");
        Shape.RequireSameDevice(op, codebook, ages, z, restartedCount);
        RequireShape(op, codebook, DType.Float32, codes, dim);
        RequireShape(op, z, DType.Float32, z.Shape);
        RequireShape(op, ages, DType.Int32, codes);
        RequireShape(op, restartedCount, DType.Int32, 1);
        if (window < 1) throw new ArgumentException($"{op}: window must be at least 1, got {window}");
        if ((emaCounts == null) != (emaSums == null)) throw new ArgumentException($"{op}: pass both EMA buffers or neither");
        if (emaCounts != null)
        {
            Shape.RequireSameDevice(op, codebook, emaCounts, emaSums!);
            RequireShape(op, emaCounts, DType.Float32, codes);
            RequireShape(op, emaSums!, DType.Float32, codes, dim);
        }
        if (codes * dim == 0 || rows == 0) return;
        var device = codebook.Device;
        // Without EMA buffers the kernel gets the codebook in their place and hasEma = 0, so it never writes them.
        var counts = emaCounts?.View ?? codebook.View;
        var sums = emaSums?.View ?? codebook.View;
        device.Launch(RestartKernel, codes * dim, codebook.View, ages.IntView, z.View, counts, sums, dim, hw, rows, window, seed, step,
            emaCounts != null ? 1 : 0);
        device.Launch(ResetKernel, 1, ages.IntView, restartedCount.IntView, codes, window);
    }

    static (int Codes, int Dim, int Rows, int Hw) CheckBatch(string op, Tensor codebook, Tensor z, Tensor indices)
    {
        Shape.RequireRank(op, codebook, 2);
        Shape.RequireSameDevice(op, codebook, z, indices);
        int codes = codebook.Shape[0], dim = codebook.Shape[1];
        RequireShape(op, codebook, DType.Float32, codes, dim);
        if (indices.DType != DType.Int32) throw new ArgumentException($"{op}: indices must be Int32, got {indices.Describe()}");
        if (z.DType == DType.Float32 && z.Rank == 2 && z.Shape[1] == dim && indices.Rank == 1 && indices.Shape[0] == z.Shape[0])
            return (codes, dim, z.Shape[0], 1);
        if (z.DType == DType.Float32 && z.Rank == 4 && z.Shape[1] == dim && indices.Rank == 3 && indices.Shape[0] == z.Shape[0]
            && indices.Shape[1] == z.Shape[2] && indices.Shape[2] == z.Shape[3])
            return (codes, dim, indices.Length, z.Shape[2] * z.Shape[3]);
        throw new ArgumentException($"{op}: need z [N,{dim}] with indices [N] or z [B,{dim},H,W] with indices [B,H,W]; " +
            $"got z {z.Describe()}, indices {indices.Describe()}, codebook {codebook.Describe()}");
    }

    static void RequireShape(string op, Tensor t, DType dtype, params int[] shape)
    {
        if (t.DType != dtype || !t.Shape.AsSpan().SequenceEqual(shape))
            throw new ArgumentException($"{op}: expected {dtype}{Shape.Format(shape)}, got {t.Describe()}");
    }
}
