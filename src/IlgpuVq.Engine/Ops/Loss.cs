using ILGPU;
using ILGPU.Runtime;
using IlgpuVq.Engine.Autograd;
using IlgpuVq.Engine.Devices;
using IlgpuVq.Engine.Tensors;
using IlgpuVq.Kernels;
using V = ILGPU.ArrayView<float>;

namespace IlgpuVq.Engine.Ops;

/// <summary>
/// Regression losses (kernels: <see cref="LossKernels"/>; reference: <c>IlgpuVq.Checks.Reference.LossReference</c>).
/// </summary>
public static class Loss
{
    internal static readonly KernelSlot<Action<KernelConfig, V, V, int, float, V>> PartialsKernel =
        new(LossKernels.SquaredErrorPartials);
    internal static readonly KernelSlot<Action<Index1D, int, int, V, V, V, float, V>> BackwardKernel =
        new(LossKernels.MseBackward);

    /// <summary>
    /// Mean squared error mean((prediction - target)²) → [1], fused into one deterministic reduction. Gradients flow
    /// to whichever inputs require them (either may be a constant).
    /// </summary>
    public static Tensor Mse(Tensor prediction, Tensor target)
    {
        Shape.RequireSame("mse", prediction, target);
        Shape.RequireSameDevice("mse", prediction, target);
        if (prediction.Length == 0) throw new ArgumentException($"mse: empty input {prediction.Describe()}");
        int n = prediction.Length;
        var device = prediction.Device;
        var y = Reduction.ScalarSum(device, n, 1f / n,
            (cfg, partials) => device.Kernel(PartialsKernel)(cfg, prediction.View, target.View, n, partials.Scale, partials.View));
        return Backprop.Record(y, new MseBackward(prediction, target), prediction, target);
    }

    sealed class MseBackward(Tensor prediction, Tensor target) : GradNode
    {
        public override Tensor?[] Backward(Tensor dy) =>
            [Needs(0) ? Grad(2f / prediction.Length, dy) : null, Needs(1) ? Grad(-2f / prediction.Length, dy) : null];

        Tensor Grad(float scale, Tensor dy)
        {
            var d = Tensor.Empty(prediction.Device, prediction.Shape);
            prediction.Device.Launch(BackwardKernel, d.Length, prediction.View, target.View, dy.View, scale, d.View);
            return d;
        }
    }
}
