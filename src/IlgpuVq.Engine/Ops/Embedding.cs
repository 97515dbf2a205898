using ILGPU;
using ILGPU.Runtime;
using IlgpuVq.Engine.Autograd;
using IlgpuVq.Engine.Devices;
using IlgpuVq.Engine.Tensors;
using IlgpuVq.Kernels;
using GatherK = System.Action<ILGPU.Index1D, int, int, ILGPU.ArrayView<float>, ILGPU.ArrayView<int>, ILGPU.ArrayView<float>, int, int>;
using GatherNchwK = System.Action<ILGPU.Index1D, int, int, ILGPU.ArrayView<float>, ILGPU.ArrayView<int>, ILGPU.ArrayView<float>, int, int, int>;
using CountK = System.Action<ILGPU.Index1D, int, int, ILGPU.ArrayView<int>, ILGPU.ArrayView<int>, int>;
using FillK = System.Action<ILGPU.Index1D, int, int, ILGPU.ArrayView<int>, ILGPU.ArrayView<int>, ILGPU.ArrayView<int>, int>;
using BackK = System.Action<ILGPU.Index1D, int, int, ILGPU.ArrayView<float>, ILGPU.ArrayView<int>, ILGPU.ArrayView<int>, ILGPU.ArrayView<float>, int>;
using BackNchwK = System.Action<ILGPU.Index1D, int, int, ILGPU.ArrayView<float>, ILGPU.ArrayView<int>, ILGPU.ArrayView<int>, ILGPU.ArrayView<float>, int, int>;

namespace IlgpuVq.Engine.Ops;

/// <summary>
/// Embedding lookups of a table [K,D] by int32 indices (kernels: <see cref="EmbeddingKernels"/>; reference:
/// <c>IlgpuVq.Checks.Reference.EmbeddingReference</c>). Indices outside [0, K) give zero rows and no gradient;
/// they are not checked on the host (that would need a device → host copy). Gradients flow to the table only,
/// deterministically (no atomics).
/// </summary>
public static class Embedding
{
    internal static readonly KernelSlot<GatherK> GatherKernel = new(EmbeddingKernels.Gather);
    internal static readonly KernelSlot<GatherNchwK> GatherNchwKernel = new(EmbeddingKernels.GatherNchw);
    internal static readonly KernelSlot<CountK> CountKernel = new(EmbeddingKernels.CountIndices);
    internal static readonly KernelSlot<CountK> ScanKernel = new(EmbeddingKernels.ExclusiveScan);
    internal static readonly KernelSlot<FillK> FillKernel = new(EmbeddingKernels.FillPositions);
    internal static readonly KernelSlot<BackK> BackKernel = new(EmbeddingKernels.GatherBackward);
    internal static readonly KernelSlot<BackNchwK> BackNchwKernel = new(EmbeddingKernels.GatherNchwBackward);

    static void CheckTable(string op, Tensor table, Tensor indices)
    {
        Shape.RequireRank(op, table, 2);
        if (table.DType != DType.Float32) throw new ArgumentException($"{op}: table must be Float32, got {table.Describe()}");
        if (indices.DType != DType.Int32) throw new ArgumentException($"{op}: indices must be Int32, got {indices.Describe()}");
        Shape.RequireSameDevice(op, table, indices);
    }

    /// <summary>Rows of <paramref name="table"/> [K,D] at <paramref name="indices"/> (any shape S) → S×D.</summary>
    public static Tensor Lookup(Tensor table, Tensor indices)
    {
        CheckTable("embedding", table, indices);
        int k = table.Shape[0], d = table.Shape[1];
        var y = Tensor.Empty(table.Device, [.. indices.Shape, d]);
        if (y.Length > 0) table.Device.Launch(GatherKernel, y.Length, table.View, indices.IntView, y.View, k, d);
        return Backprop.Record(y, new LookupBackward(table.Shape, indices, hw: 0), table);
    }

    /// <summary>Rows of <paramref name="table"/> [K,D] at <paramref name="indices"/> [B,H,W], written as [B,D,H,W].</summary>
    public static Tensor LookupNchw(Tensor table, Tensor indices)
    {
        CheckTable("embedding_nchw", table, indices);
        Shape.RequireRank("embedding_nchw", indices, 3);
        int k = table.Shape[0], d = table.Shape[1];
        int b = indices.Shape[0], h = indices.Shape[1], w = indices.Shape[2];
        var y = Tensor.Empty(table.Device, b, d, h, w);
        if (y.Length > 0) table.Device.Launch(GatherNchwKernel, y.Length, table.View, indices.IntView, y.View, k, d, h * w);
        return Backprop.Record(y, new LookupBackward(table.Shape, indices, hw: h * w), table);
    }

    /// <summary>Int32 counts [K]: how many entries of <paramref name="indices"/> equal each k (out-of-range ones count nowhere).</summary>
    public static Tensor CountIndices(Tensor indices, int codes)
    {
        if (indices.DType != DType.Int32) throw new ArgumentException($"count_indices: indices must be Int32, got {indices.Describe()}");
        if (codes < 0) throw new ArgumentException($"count_indices: negative code count {codes}");
        var counts = Tensor.EmptyInt(indices.Device, codes);
        if (codes > 0) indices.Device.Launch(CountKernel, codes, indices.IntView, counts.IntView, indices.Length);
        return counts;
    }

    /// <summary>CSR of positions per code: offsets [K+1] and the positions [P], each code's ascending (also used by
    /// <see cref="CodebookMaintenance"/> for its EMA sums).</summary>
    internal static (Tensor Offsets, Tensor List) PositionsByCode(Tensor indices, int codes)
    {
        var device = indices.Device;
        var counts = CountIndices(indices, codes);
        var offsets = Tensor.EmptyInt(device, codes + 1);
        device.Launch(ScanKernel, 1, counts.IntView, offsets.IntView, codes);
        var list = Tensor.EmptyInt(device, indices.Length);
        if (codes > 0) device.Launch(FillKernel, codes, indices.IntView, offsets.IntView, list.IntView, indices.Length);
        return (offsets, list);
    }

    /// <summary>Saves the indices; <c>hw</c> = 0 for the S×D layout, H·W for NCHW.</summary>
    sealed class LookupBackward(int[] tableShape, Tensor indices, int hw) : GradNode
    {
        public override Tensor?[] Backward(Tensor dy)
        {
            int k = tableShape[0], d = tableShape[1];
            var dtable = Tensor.Empty(dy.Device, tableShape);
            if (dtable.Length == 0) return [dtable];
            var (offsets, list) = PositionsByCode(indices, k);
            if (hw == 0) dy.Device.Launch(BackKernel, dtable.Length, dy.View, offsets.IntView, list.IntView, dtable.View, d);
            else dy.Device.Launch(BackNchwKernel, dtable.Length, dy.View, offsets.IntView, list.IntView, dtable.View, d, hw);
            return [dtable];
        }
    }
}
