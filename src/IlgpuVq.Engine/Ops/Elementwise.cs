using ILGPU;
using ILGPU.Runtime;
using IlgpuVq.Engine.Autograd;
using IlgpuVq.Engine.Devices;
using IlgpuVq.Engine.Tensors;
using IlgpuVq.Kernels;
using K1 = System.Action<ILGPU.Index1D, ILGPU.ArrayView<float>>;
using K2 = System.Action<ILGPU.Index1D, ILGPU.ArrayView<float>, ILGPU.ArrayView<float>>;
using K3 = System.Action<ILGPU.Index1D, ILGPU.ArrayView<float>, ILGPU.ArrayView<float>, ILGPU.ArrayView<float>>;

namespace IlgpuVq.Engine.Ops;

/// <summary>
/// Elementwise ops (kernels: <see cref="ElementwiseKernels"/>; reference: <c>IlgpuVq.Checks.Reference.ElementwiseReference</c>).
/// Shapes must match exactly (no broadcasting) except where an op says otherwise.
/// </summary>
public static class Elementwise
{
    static readonly KernelSlot<Action<Index1D, ArrayView<float>, float>> FillKernel =
        new(a => a.LoadAutoGroupedStreamKernel<Index1D, ArrayView<float>, float>(ElementwiseKernels.Fill));
    static readonly KernelSlot<K3> AddKernel = new(a => a.LoadAutoGroupedStreamKernel<Index1D, ArrayView<float>, ArrayView<float>, ArrayView<float>>(ElementwiseKernels.Add));
    static readonly KernelSlot<K2> AddInPlaceKernel = new(a => a.LoadAutoGroupedStreamKernel<Index1D, ArrayView<float>, ArrayView<float>>(ElementwiseKernels.AddInPlace));
    static readonly KernelSlot<K2> ReluKernel = new(a => a.LoadAutoGroupedStreamKernel<Index1D, ArrayView<float>, ArrayView<float>>(ElementwiseKernels.Relu));
    static readonly KernelSlot<K3> ReluBackwardKernel = new(a => a.LoadAutoGroupedStreamKernel<Index1D, ArrayView<float>, ArrayView<float>, ArrayView<float>>(ElementwiseKernels.ReluBackward));

    /// <summary>A new tensor of <paramref name="shape"/> with every element <paramref name="value"/>.</summary>
    public static Tensor Fill(ComputeDevice device, float value, params int[] shape)
    {
        var y = Tensor.Empty(device, shape);
        if (y.Length > 0) device.Kernel(FillKernel)(y.Length, y.View, value);
        return y;
    }

    /// <summary>a + b.</summary>
    public static Tensor Add(Tensor a, Tensor b)
    {
        Shape.RequireSame("add", a, b);
        var y = Tensor.Empty(a.Device, a.Shape);
        if (y.Length > 0) a.Device.Kernel(AddKernel)(y.Length, a.View, b.View, y.View);
        return Backprop.Record(y, new AddBackward(), a, b);
    }

    sealed class AddBackward : GradNode
    {
        public override Tensor?[] Backward(Tensor dy) => [Needs(0) ? dy : null, Needs(1) ? dy : null];
    }

    /// <summary>y += x, in place and outside autograd (gradient accumulation, optimizer state).</summary>
    public static void AddInPlace(Tensor y, Tensor x)
    {
        Shape.RequireSame("add_", y, x);
        if (y.Length > 0) y.Device.Kernel(AddInPlaceKernel)(y.Length, y.View, x.View);
    }

    /// <summary>max(x, 0).</summary>
    public static Tensor Relu(Tensor x)
    {
        var y = Tensor.Empty(x.Device, x.Shape);
        if (y.Length > 0) x.Device.Kernel(ReluKernel)(y.Length, x.View, y.View);
        return Backprop.Record(y, new ReluBackward(x), x);
    }

    sealed class ReluBackward(Tensor x) : GradNode
    {
        public override Tensor?[] Backward(Tensor dy)
        {
            var dx = Tensor.Empty(x.Device, x.Shape);
            if (dx.Length > 0) x.Device.Kernel(ReluBackwardKernel)(dx.Length, x.View, dy.View, dx.View);
            return [dx];
        }
    }
}
