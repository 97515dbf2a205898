using ILGPU;
using ILGPU.Runtime;
using IlgpuVq.Engine.Autograd;
using IlgpuVq.Engine.Devices;
using IlgpuVq.Engine.Tensors;
using IlgpuVq.Kernels;
using RowsK = System.Action<ILGPU.Index1D, int, int, ILGPU.ArrayView<float>, ILGPU.ArrayView<float>, int, int, int>;
using ColsK = System.Action<ILGPU.Index1D, int, int, ILGPU.ArrayView<float>, ILGPU.ArrayView<float>, int, int>;

namespace IlgpuVq.Engine.Ops;

/// <summary>
/// Zero-filled spatial shifts of [N,C,H,W] maps (kernels: <see cref="ShiftKernels"/>; reference:
/// <c>IlgpuVq.Checks.Reference.ShiftReference</c>). <see cref="Down"/> moves content down (output row i is
/// input row i − amount, the top rows become 0); <see cref="Right"/> moves content right. These are the
/// Gated PixelCNN's causal shifts: a shift by at least the kernel's reach removes the blind spot.
/// </summary>
public static class Shift
{
    internal static readonly KernelSlot<RowsK> RowsKernel = new(ShiftKernels.ShiftRows);
    internal static readonly KernelSlot<ColsK> ColsKernel = new(ShiftKernels.ShiftColumns);

    /// <summary>y[n,c,i,j] = x[n,c,i−amount,j], zero where i &lt; amount.</summary>
    public static Tensor Down(Tensor x, int amount = 1)
    {
        Check("shift_down", x, amount);
        var y = Rows(x, amount);
        return Backprop.Record(y, new ShiftBackward(amount, rows: true), x);
    }

    /// <summary>y[n,c,i,j] = x[n,c,i,j−amount], zero where j &lt; amount.</summary>
    public static Tensor Right(Tensor x, int amount = 1)
    {
        Check("shift_right", x, amount);
        var y = Columns(x, amount);
        return Backprop.Record(y, new ShiftBackward(amount, rows: false), x);
    }

    static void Check(string op, Tensor x, int amount)
    {
        Shape.RequireRank(op, x, 4);
        if (amount < 0) throw new ArgumentException($"{op}: amount must be >= 0, got {amount} for {x.Describe()}");
    }

    static Tensor Rows(Tensor x, int shift)
    {
        var y = Tensor.Empty(x.Device, x.Shape);
        if (y.Length > 0) x.Device.Launch(RowsKernel, y.Length, x.View, y.View, x.Shape[2], x.Shape[3], Clamp(shift, x.Shape[2]));
        return y;
    }

    static Tensor Columns(Tensor x, int shift)
    {
        var y = Tensor.Empty(x.Device, x.Shape);
        if (y.Length > 0) x.Device.Launch(ColsKernel, y.Length, x.View, y.View, x.Shape[3], Clamp(shift, x.Shape[3]));
        return y;
    }

    /// <summary>Shifts beyond the extent all give zeros; clamping keeps the kernel's index arithmetic small.</summary>
    static int Clamp(int shift, int extent) => Math.Clamp(shift, -extent, extent);

    /// <summary>The adjoint of a shift by +a is the shift by −a (zero-filled at the other end).</summary>
    sealed class ShiftBackward(int amount, bool rows) : GradNode
    {
        public override Tensor?[] Backward(Tensor dy) => [rows ? Rows(dy, -amount) : Columns(dy, -amount)];
    }
}
