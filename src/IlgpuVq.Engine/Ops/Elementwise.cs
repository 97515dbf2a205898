using ILGPU;
using ILGPU.Runtime;
using IlgpuVq.Engine.Autograd;
using IlgpuVq.Engine.Devices;
using IlgpuVq.Engine.Tensors;
using IlgpuVq.Kernels;
using V = ILGPU.ArrayView<float>;
using K2 = System.Action<ILGPU.Index1D, int, int, ILGPU.ArrayView<float>, ILGPU.ArrayView<float>>;
using K3 = System.Action<ILGPU.Index1D, int, int, ILGPU.ArrayView<float>, ILGPU.ArrayView<float>, ILGPU.ArrayView<float>>;
using KScalar = System.Action<ILGPU.Index1D, int, int, ILGPU.ArrayView<float>, float, ILGPU.ArrayView<float>>;
using KChannel = System.Action<ILGPU.Index1D, int, int, ILGPU.ArrayView<float>, int, int, ILGPU.ArrayView<float>>;

namespace IlgpuVq.Engine.Ops;

/// <summary>
/// Elementwise ops (kernels: <see cref="ElementwiseKernels"/>; reference: <c>IlgpuVq.Checks.Reference.ElementwiseReference</c>).
/// Shapes must match exactly (no broadcasting) except where an op says otherwise (<see cref="BiasAdd"/>,
/// <see cref="GatedActivation"/>). Ops ending in <c>InPlace</c>/<c>Into</c> run outside autograd.
/// </summary>
public static class Elementwise
{
    static KernelSlot<K3> Slot3(K3 k) => new(k);
    static KernelSlot<K2> Slot2(K2 k) => new(k);

    internal static readonly KernelSlot<Action<Index1D, int, int, V, float>> FillKernel = new(ElementwiseKernels.Fill);
    internal static readonly KernelSlot<Action<Index1D, int, int, V, float>> ScaleInPlaceKernel = new(ElementwiseKernels.ScaleInPlace);
    internal static readonly KernelSlot<K3> AddKernel = Slot3(ElementwiseKernels.Add);
    internal static readonly KernelSlot<K3> SubKernel = Slot3(ElementwiseKernels.Sub);
    internal static readonly KernelSlot<K3> MulKernel = Slot3(ElementwiseKernels.Mul);
    internal static readonly KernelSlot<K2> AddInPlaceKernel = Slot2(ElementwiseKernels.AddInPlace);
    internal static readonly KernelSlot<K2> ReluKernel = Slot2(ElementwiseKernels.Relu);
    internal static readonly KernelSlot<K3> ReluBackwardKernel = Slot3(ElementwiseKernels.ReluBackward);
    internal static readonly KernelSlot<K2> TanhKernel = Slot2(ElementwiseKernels.Tanh);
    internal static readonly KernelSlot<K3> TanhBackwardKernel = Slot3(ElementwiseKernels.TanhBackward);
    internal static readonly KernelSlot<K2> SigmoidKernel = Slot2(ElementwiseKernels.Sigmoid);
    internal static readonly KernelSlot<K3> SigmoidBackwardKernel = Slot3(ElementwiseKernels.SigmoidBackward);
    internal static readonly KernelSlot<KScalar> ScaleKernel = new(ElementwiseKernels.Scale);
    internal static readonly KernelSlot<KScalar> AddScalarKernel = new(ElementwiseKernels.AddScalar);
    internal static readonly KernelSlot<Action<Index1D, int, int, V, V, int, int, V>> BiasAddKernel =
        new(ElementwiseKernels.BiasAdd);
    internal static readonly KernelSlot<KChannel> GatedKernel = new(ElementwiseKernels.GatedActivation);
    internal static readonly KernelSlot<Action<Index1D, int, int, V, V, int, int, V>> GatedBackwardKernel =
        new(ElementwiseKernels.GatedActivationBackward);

    /// <summary>A new tensor of <paramref name="shape"/> with every element <paramref name="value"/>.</summary>
    public static Tensor Fill(ComputeDevice device, float value, params int[] shape)
    {
        var y = Tensor.Empty(device, shape);
        if (y.Length > 0) device.Launch(FillKernel, y.Length, y.View, value);
        return y;
    }

    /// <summary>Sets every element of <paramref name="y"/> to <paramref name="value"/>, in place, outside autograd.</summary>
    public static void FillInPlace(Tensor y, float value)
    {
        if (y.Length > 0) y.Device.Launch(FillKernel, y.Length, y.View, value);
    }

    static Tensor Binary(string op, KernelSlot<K3> slot, Tensor a, Tensor b)
    {
        Shape.RequireSame(op, a, b);
        Shape.RequireSameDevice(op, a, b);
        var y = Tensor.Empty(a.Device, a.Shape);
        if (y.Length > 0) a.Device.Launch(slot, y.Length, a.View, b.View, y.View);
        return y;
    }

    static Tensor Unary(KernelSlot<K2> slot, Tensor x)
    {
        var y = Tensor.Empty(x.Device, x.Shape);
        if (y.Length > 0) x.Device.Launch(slot, y.Length, x.View, y.View);
        return y;
    }

    /// <summary>a + b.</summary>
    public static Tensor Add(Tensor a, Tensor b) => Backprop.Record(Binary("add", AddKernel, a, b), new AddBackward(), a, b);

    sealed class AddBackward : GradNode
    {
        public override Tensor?[] Backward(Tensor dy) => [Needs(0) ? dy : null, Needs(1) ? dy : null];
    }

    /// <summary>y += x, in place and outside autograd (gradient accumulation, optimizer state).</summary>
    public static void AddInPlace(Tensor y, Tensor x)
    {
        Shape.RequireSame("add_", y, x);
        if (y.Length > 0) y.Device.Launch(AddInPlaceKernel, y.Length, y.View, x.View);
    }

    /// <summary>a - b.</summary>
    public static Tensor Sub(Tensor a, Tensor b) => Backprop.Record(Binary("sub", SubKernel, a, b), new SubBackward(), a, b);

    sealed class SubBackward : GradNode
    {
        public override Tensor?[] Backward(Tensor dy) => [Needs(0) ? dy : null, Needs(1) ? ScaleRaw(dy, -1f) : null];
    }

    /// <summary>a · b, elementwise.</summary>
    public static Tensor Mul(Tensor a, Tensor b)
    {
        var y = Binary("mul", MulKernel, a, b);
        return Backprop.ShouldRecord(a, b) ? Backprop.Record(y, new MulBackward(a, b), a, b) : y;
    }

    sealed class MulBackward(Tensor a, Tensor b) : GradNode
    {
        public override Tensor?[] Backward(Tensor dy) =>
            [Needs(0) ? Binary("mul", MulKernel, dy, b) : null, Needs(1) ? Binary("mul", MulKernel, dy, a) : null];
    }

    /// <summary>x · s for a host scalar s.</summary>
    public static Tensor Scale(Tensor x, float s) => Backprop.Record(ScaleRaw(x, s), new ScaleBackward(s), x);

    sealed class ScaleBackward(float s) : GradNode
    {
        public override Tensor?[] Backward(Tensor dy) => [ScaleRaw(dy, s)];
    }

    static Tensor ScaleRaw(Tensor x, float s)
    {
        var y = Tensor.Empty(x.Device, x.Shape);
        if (y.Length > 0) x.Device.Launch(ScaleKernel, y.Length, x.View, s, y.View);
        return y;
    }

    /// <summary>y *= s, in place and outside autograd (optimizer, gradient clipping).</summary>
    public static void ScaleInPlace(Tensor y, float s)
    {
        if (y.Length > 0) y.Device.Launch(ScaleInPlaceKernel, y.Length, y.View, s);
    }

    /// <summary>Copies <paramref name="source"/> into <paramref name="destination"/> (same shape), outside autograd.</summary>
    public static void CopyInto(Tensor destination, Tensor source)
    {
        Shape.RequireSame("copy_", destination, source);
        destination.CopyFrom(source);
    }

    /// <summary>x + s for a host scalar s.</summary>
    public static Tensor AddScalar(Tensor x, float s)
    {
        var y = Tensor.Empty(x.Device, x.Shape);
        if (y.Length > 0) x.Device.Launch(AddScalarKernel, y.Length, x.View, s, y.View);
        return Backprop.Record(y, new IdentityBackward(), x);
    }

    sealed class IdentityBackward : GradNode
    {
        public override Tensor?[] Backward(Tensor dy) => [dy];
    }

    /// <summary>
    /// x + bias broadcast over the channel axis: x is [N,C,H,W] (or [N,C], or any [N,C,...]), bias is [C].
    /// The bias gradient is the per-channel sum of dy over N and the spatial axes (a fixed-order reduction).
    /// </summary>
    public static Tensor BiasAdd(Tensor x, Tensor bias)
    {
        if (x.Rank < 2 || bias.Rank != 1 || bias.Shape[0] != x.Shape[1])
            throw new ArgumentException($"bias_add: expected x [N,C,...] and bias [C], got {x.Describe()} and {bias.Describe()}");
        Shape.RequireSameDevice("bias_add", x, bias);
        int channels = x.Shape[1], inner = x.Length == 0 ? 1 : x.Length / (x.Shape[0] * channels);
        var y = Tensor.Empty(x.Device, x.Shape);
        if (y.Length > 0) x.Device.Launch(BiasAddKernel, y.Length, x.View, bias.View, channels, Math.Max(inner, 1), y.View);
        return Backprop.Record(y, new BiasAddBackward(), x, bias);
    }

    sealed class BiasAddBackward : GradNode
    {
        public override Tensor?[] Backward(Tensor dy) => [Needs(0) ? dy : null, Needs(1) ? Reduction.ChannelSumRaw(dy, 1f) : null];
    }

    /// <summary>max(x, 0).</summary>
    public static Tensor Relu(Tensor x) => Backprop.Record(Unary(ReluKernel, x), new ActivationBackward(x, ReluBackwardKernel), x);

    /// <summary>tanh(x); finite for any finite x (saturates to ±1).</summary>
    public static Tensor Tanh(Tensor x)
    {
        var y = Unary(TanhKernel, x);
        return Backprop.Record(y, new ActivationBackward(y, TanhBackwardKernel), x);
    }

    /// <summary>1 / (1 + exp(-x)); finite for any finite x.</summary>
    public static Tensor Sigmoid(Tensor x)
    {
        var y = Unary(SigmoidKernel, x);
        return Backprop.Record(y, new ActivationBackward(y, SigmoidBackwardKernel), x);
    }

    /// <summary>Backward of an activation whose gradient is a function of one saved tensor (its input or its output) and dy.</summary>
    sealed class ActivationBackward(Tensor saved, KernelSlot<K3> kernel) : GradNode
    {
        public override Tensor?[] Backward(Tensor dy)
        {
            var dx = Tensor.Empty(saved.Device, saved.Shape);
            if (dx.Length > 0) saved.Device.Launch(kernel, dx.Length, saved.View, dy.View, dx.View);
            return [dx];
        }
    }

    /// <summary>
    /// PixelCNN's gated activation: x [N,2C,...] → tanh(x[:, :C]) · sigmoid(x[:, C:]) of shape [N,C,...].
    /// Fused: one kernel forward, one kernel backward (which recomputes tanh and sigmoid from x).
    /// </summary>
    public static Tensor GatedActivation(Tensor x)
    {
        if (x.Rank < 2 || x.Shape[1] % 2 != 0)
            throw new ArgumentException($"gated_activation: expected [N,2C,...] with an even channel count, got {x.Describe()}");
        var shape = (int[])x.Shape.Clone();
        shape[1] /= 2;
        int channels = shape[1];
        int inner = x.Length == 0 ? 1 : x.Length / (x.Shape[0] * x.Shape[1]);
        var y = Tensor.Empty(x.Device, shape);
        if (y.Length > 0) x.Device.Launch(GatedKernel, y.Length, x.View, channels, inner, y.View);
        return Backprop.Record(y, new GatedBackward(x, channels, inner), x);
    }

    sealed class GatedBackward(Tensor x, int channels, int inner) : GradNode
    {
        public override Tensor?[] Backward(Tensor dy)
        {
            var dx = Tensor.Empty(x.Device, x.Shape);
            if (dy.Length > 0) x.Device.Launch(GatedBackwardKernel, dy.Length, x.View, dy.View, channels, inner, dx.View);
            return [dx];
        }
    }
}
