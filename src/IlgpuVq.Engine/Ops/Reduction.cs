using ILGPU;
using ILGPU.Runtime;
using IlgpuVq.Engine.Autograd;
using IlgpuVq.Engine.Devices;
using IlgpuVq.Engine.Tensors;
using IlgpuVq.Kernels;
using V = ILGPU.ArrayView<float>;

namespace IlgpuVq.Engine.Ops;

/// <summary>
/// Deterministic sums and means (kernels: <see cref="ReductionKernels"/>; reference:
/// <c>IlgpuVq.Checks.Reference.ReductionReference</c>). Whole-tensor reductions are two passes (grouped partial
/// sums, then one group over the partials), with the group size taken from the accelerator; no atomics.
/// </summary>
public static class Reduction
{
    internal static readonly KernelSlot<Action<KernelConfig, V, int, float, V>> PartialsKernel =
        new(ReductionKernels.SumPartials);
    /// <summary>The second pass of a chunked scalar sum (cross-entropy, codebook loss): the partials added in order, scaled.</summary>
    internal static readonly KernelSlot<Action<Index1D, int, int, V, V, int, float>> AddPartialsInOrderKernel =
        new(ReductionKernels.AddPartialsInOrder);
    internal static readonly KernelSlot<Action<Index1D, int, int, V, int, int, int, int, V>> ChannelSlicesKernel =
        new(ReductionKernels.ChannelSlices);
    internal static readonly KernelSlot<Action<Index1D, int, int, V, int, float, V>> RowKernel =
        new(ReductionKernels.RowSum);
    internal static readonly KernelSlot<Action<Index1D, int, int, V, float, V>> BroadcastScalarKernel =
        new(ReductionKernels.BroadcastScalar);
    internal static readonly KernelSlot<Action<Index1D, int, int, V, int, int, float, V>> BroadcastChannelKernel =
        new(ReductionKernels.BroadcastChannel);
    internal static readonly KernelSlot<Action<Index1D, int, int, V, int, float, V>> BroadcastRowsKernel =
        new(ReductionKernels.BroadcastRows);

    /// <summary>Σ x over every element → [1].</summary>
    public static Tensor Sum(Tensor x) => Whole(x, 1f);

    /// <summary>Mean of every element → [1] (0 elements: NaN-free 0).</summary>
    public static Tensor Mean(Tensor x) => Whole(x, x.Length == 0 ? 0f : 1f / x.Length);

    static Tensor Whole(Tensor x, float scale)
    {
        var y = ScalarSum(x.Device, x.Length, scale, (cfg, partials) => x.Device.Kernel(PartialsKernel)(cfg, x.View, x.Length, partials.Scale, partials.View));
        return Backprop.Record(y, new WholeBackward(x.Shape, scale), x);
    }

    sealed class WholeBackward(int[] shape, float scale) : GradNode
    {
        public override Tensor?[] Backward(Tensor dy)
        {
            var dx = Tensor.Empty(dy.Device, shape);
            if (dx.Length > 0) dy.Device.Launch(BroadcastScalarKernel, dx.Length, dy.View, scale, dx.View);
            return [dx];
        }
    }

    /// <summary>Where a first pass writes its partial sums, and the scale it must apply to them.</summary>
    internal readonly record struct PartialsTarget(V View, float Scale);

    /// <summary>
    /// The two-pass plan shared with fused reductions (e.g. <see cref="Loss.Mse"/>): group size B = the accelerator's
    /// largest, G = min(B, ⌈n/B⌉, min(n, ThreadCapacity)/B) groups write G partials (scaled when G = 1), then one group sums
    /// the partials. B = <see cref="ComputeDevice.GroupSize"/>(MaxGroupSize): a whole group on a GPU, one warp on the CPU
    /// simulator (which runs an OS thread per simulated thread and pays for every group barrier). <paramref name="firstPass"/> launches the caller's first-pass kernel.
    /// </summary>
    internal static Tensor ScalarSum(ComputeDevice device, int n, float scale, Action<KernelConfig, PartialsTarget> firstPass)
    {
        int b = device.GroupSize(device.MaxGroupSize);
        int groups = Math.Max(1, Math.Min(Math.Min(b, (n + b - 1) / b), Math.Max(1, (int)Math.Min(n, device.ThreadCapacity) / b)));
        var y = Tensor.Empty(device, 1);
        if (groups == 1)
        {
            firstPass(Config(1, b), new PartialsTarget(y.View, scale));
            return y;
        }
        var partials = Tensor.Empty(device, groups);
        firstPass(Config(groups, b), new PartialsTarget(partials.View, 1f));
        device.Kernel(PartialsKernel)(Config(1, b), partials.View, groups, scale, y.View);
        partials.Dispose();
        return y;
    }

    static KernelConfig Config(int groups, int groupSize) =>
        new(new Index1D(groups), new Index1D(groupSize), SharedMemoryConfig.RequestDynamic<float>(groupSize));

    /// <summary>Σ over the batch and spatial axes per channel: [N,C,...] → [C].</summary>
    public static Tensor SumPerChannel(Tensor x) => PerChannel("sum_per_channel", x, mean: false);

    /// <summary>Mean over the batch and spatial axes per channel: [N,C,...] → [C].</summary>
    public static Tensor MeanPerChannel(Tensor x) => PerChannel("mean_per_channel", x, mean: true);

    static Tensor PerChannel(string op, Tensor x, bool mean)
    {
        if (x.Rank < 2) throw new ArgumentException($"{op}: expected [N,C,...], got {x.Describe()}");
        int perChannel = x.Shape[1] == 0 ? 0 : x.Length / x.Shape[1];
        float scale = mean && perChannel > 0 ? 1f / perChannel : 1f;
        var y = ChannelSumRaw(x, scale);
        return Backprop.Record(y, new ChannelBackward(x.Shape, scale), x);
    }

    /// <summary>
    /// scale · per-channel sum of [N,C,...] → [C], outside autograd (also the bias gradient). Two gathering passes:
    /// S = clamp(N·inner / 64, 1, max group size) slices per channel (each at least ~64 elements), then one thread per
    /// channel over its S partials. S depends only on the shape and the device, so results are deterministic.
    /// </summary>
    internal static Tensor ChannelSumRaw(Tensor x, float scale)
    {
        var (batch, channels, inner) = Split(x.Shape);
        var y = Tensor.Empty(x.Device, channels);
        if (channels == 0) return y;
        if (batch * inner == 0) { y.Zero(); return y; }
        int slices = Math.Clamp(batch * inner / 64, 1, x.Device.MaxGroupSize);
        var partials = Tensor.Empty(x.Device, channels, slices);
        x.Device.Launch(ChannelSlicesKernel, channels * slices, x.View, batch, channels, inner, slices, partials.View);
        x.Device.Launch(RowKernel, channels, partials.View, slices, scale, y.View);
        partials.Dispose();
        return y;
    }

    static (int Batch, int Channels, int Inner) Split(int[] shape)
    {
        int inner = 1;
        for (int d = 2; d < shape.Length; d++) inner *= shape[d];
        return (shape[0], shape[1], inner);
    }

    sealed class ChannelBackward(int[] shape, float scale) : GradNode
    {
        public override Tensor?[] Backward(Tensor dy)
        {
            var (_, channels, inner) = Split(shape);
            var dx = Tensor.Empty(dy.Device, shape);
            if (dx.Length > 0) dy.Device.Launch(BroadcastChannelKernel, dx.Length, dy.View, channels, inner, scale, dx.View);
            return [dx];
        }
    }

    /// <summary>Mean over the last axis: [..., L] → [...] (rank 1: [L] → [1]). L must be positive.</summary>
    public static Tensor MeanLastAxis(Tensor x)
    {
        if (x.Rank < 1 || x.Shape[^1] == 0) throw new ArgumentException($"mean_last_axis: needs a non-empty last axis, got {x.Describe()}");
        return RowMean(x, x.Shape[^1], x.Rank == 1 ? [1] : x.Shape[..^1]);
    }

    /// <summary>Mean of each run of <paramref name="len"/> contiguous elements → a tensor of <paramref name="shape"/> (x.Length / len elements);
    /// also the global average pooling of <see cref="Pooling"/>, whose H·W planes are such runs.</summary>
    internal static Tensor RowMean(Tensor x, int len, int[] shape)
    {
        int rows = x.Length / len;
        var y = Tensor.Empty(x.Device, shape);
        float scale = 1f / len;
        if (rows > 0) x.Device.Launch(RowKernel, rows, x.View, len, scale, y.View);
        return Backprop.Record(y, new RowBackward(x.Shape, len, scale), x);
    }

    sealed class RowBackward(int[] shape, int len, float scale) : GradNode
    {
        public override Tensor?[] Backward(Tensor dy)
        {
            var dx = Tensor.Empty(dy.Device, shape);
            if (dx.Length > 0) dy.Device.Launch(BroadcastRowsKernel, dx.Length, dy.View, len, scale, dx.View);
            return [dx];
        }
    }
}
