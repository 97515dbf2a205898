using ILGPU;
using ILGPU.Runtime;
using IlgpuVq.Engine.Autograd;
using IlgpuVq.Engine.Devices;
using IlgpuVq.Engine.Tensors;
using IlgpuVq.Kernels;
using CopyK = System.Action<ILGPU.Index1D, int, int, ILGPU.ArrayView<float>, int, int, ILGPU.ArrayView<float>, int, int, int, int>;
using PermK = System.Action<ILGPU.Index1D, int, int, ILGPU.ArrayView<float>, ILGPU.ArrayView<float>, int, int>;

namespace IlgpuVq.Engine.Ops;

/// <summary>
/// Channel-axis ops on [N,C,H,W] (and [N,C]) tensors: <see cref="Concat"/>, <see cref="Slice"/>, <see cref="Split"/>,
/// and the layout permutes <see cref="ToNhwc"/> / <see cref="ToNchw"/> (kernels: <see cref="ChannelKernels"/>;
/// reference: <c>IlgpuVq.Checks.Reference.ChannelsReference</c>).
/// </summary>
public static class Channels
{
    internal static readonly KernelSlot<CopyK> CopyKernel = new(ChannelKernels.CopyChannels);
    internal static readonly KernelSlot<PermK> ToNhwcKernel = new(ChannelKernels.NchwToNhwc);
    internal static readonly KernelSlot<PermK> ToNchwKernel = new(ChannelKernels.NhwcToNchw);

    /// <summary>Elements per channel: the product of the dimensions after the channel axis.</summary>
    static int Inner(int[] shape)
    {
        int inner = 1;
        for (int d = 2; d < shape.Length; d++) inner *= shape[d];
        return inner;
    }

    /// <summary>Copies channels [srcOffset, srcOffset+count) of src into channels [dstOffset, ...) of dst.</summary>
    static void Copy(Tensor src, int srcOffset, Tensor dst, int dstOffset, int count)
    {
        int n = src.Shape[0], inner = Inner(src.Shape);
        long total = (long)n * count * inner;
        if (total == 0) return;
        src.Device.Launch(CopyKernel, (int)total, src.View, src.Shape[1], srcOffset, dst.View, dst.Shape[1], dstOffset, count, inner);
    }

    /// <summary>Concatenates along the channel axis (dim 1); all other dimensions must match.</summary>
    public static Tensor Concat(params Tensor[] xs)
    {
        if (xs.Length == 0) throw new ArgumentException("concat: needs at least one tensor");
        var first = xs[0];
        if (first.Rank < 2) throw new ArgumentException($"concat: tensors need rank >= 2, got {first.Describe()}");
        Shape.RequireSameDevice("concat", xs);
        int channels = 0;
        foreach (var x in xs)
        {
            bool ok = x.Rank == first.Rank;
            for (int d = 0; ok && d < x.Rank; d++) ok = d == 1 || x.Shape[d] == first.Shape[d];
            if (!ok)
                throw new ArgumentException($"concat: shapes differ outside the channel axis: {string.Join(", ", xs.Select(t => t.Describe()))}");
            channels += x.Shape[1];
        }
        var shape = (int[])first.Shape.Clone();
        shape[1] = channels;
        var y = Tensor.Empty(first.Device, shape);
        int offset = 0;
        var sizes = new int[xs.Length];
        for (int k = 0; k < xs.Length; k++)
        {
            sizes[k] = xs[k].Shape[1];
            Copy(xs[k], 0, y, offset, sizes[k]);
            offset += sizes[k];
        }
        return Backprop.Record(y, new ConcatBackward(sizes), xs);
    }

    sealed class ConcatBackward(int[] sizes) : GradNode
    {
        public override Tensor?[] Backward(Tensor dy)
        {
            var grads = new Tensor?[sizes.Length];
            int offset = 0;
            for (int k = 0; k < sizes.Length; k++)
            {
                if (Needs(k))
                {
                    var shape = (int[])dy.Shape.Clone();
                    shape[1] = sizes[k];
                    var dx = Tensor.Empty(dy.Device, shape);
                    Copy(dy, offset, dx, 0, sizes[k]);
                    grads[k] = dx;
                }
                offset += sizes[k];
            }
            return grads;
        }
    }

    /// <summary>Channels [start, start+count) of x (rank ≥ 2, channel axis 1).</summary>
    public static Tensor Slice(Tensor x, int start, int count)
    {
        if (x.Rank < 2) throw new ArgumentException($"slice: tensor needs rank >= 2, got {x.Describe()}");
        if (start < 0 || count < 0 || start + count > x.Shape[1])
            throw new ArgumentException($"slice: channels [{start}, {start + count}) out of range for {x.Describe()}");
        var shape = (int[])x.Shape.Clone();
        shape[1] = count;
        var y = Tensor.Empty(x.Device, shape);
        Copy(x, start, y, 0, count);
        return Backprop.Record(y, new SliceBackward(x.Shape, start, count), x);
    }

    sealed class SliceBackward(int[] inputShape, int start, int count) : GradNode
    {
        public override Tensor?[] Backward(Tensor dy)
        {
            var dx = Tensor.Zeros(dy.Device, inputShape);
            Copy(dy, 0, dx, start, count);
            return [dx];
        }
    }

    /// <summary>Splits the channels into the first <paramref name="c1"/> and the rest (two slices).</summary>
    public static (Tensor A, Tensor B) Split(Tensor x, int c1)
    {
        if (x.Rank < 2 || c1 < 0 || c1 > x.Shape[1])
            throw new ArgumentException($"split: cannot split {x.Describe()} after {c1} channels");
        return (Slice(x, 0, c1), Slice(x, c1, x.Shape[1] - c1));
    }

    /// <summary>[N,C,H,W] → [N,H,W,C].</summary>
    public static Tensor ToNhwc(Tensor x)
    {
        Shape.RequireRank("to_nhwc", x, 4);
        int n = x.Shape[0], c = x.Shape[1], h = x.Shape[2], w = x.Shape[3];
        var y = Tensor.Empty(x.Device, n, h, w, c);
        if (y.Length > 0) x.Device.Launch(ToNhwcKernel, y.Length, x.View, y.View, c, h * w);
        return Backprop.Record(y, new PermuteBackward(toNhwc: false), x);
    }

    /// <summary>[N,H,W,C] → [N,C,H,W].</summary>
    public static Tensor ToNchw(Tensor x)
    {
        Shape.RequireRank("to_nchw", x, 4);
        int n = x.Shape[0], h = x.Shape[1], w = x.Shape[2], c = x.Shape[3];
        var y = Tensor.Empty(x.Device, n, c, h, w);
        if (y.Length > 0) x.Device.Launch(ToNchwKernel, y.Length, x.View, y.View, c, h * w);
        return Backprop.Record(y, new PermuteBackward(toNhwc: true), x);
    }

    /// <summary>The gradient of a permute is the inverse permute of the upstream gradient.</summary>
    sealed class PermuteBackward(bool toNhwc) : GradNode
    {
        public override Tensor?[] Backward(Tensor dy)
        {
            using var _ = GradMode.NoGrad();
            return [toNhwc ? ToNhwc(dy) : ToNchw(dy)];
        }
    }
}
