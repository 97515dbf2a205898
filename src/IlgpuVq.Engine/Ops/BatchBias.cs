using ILGPU;
using ILGPU.Runtime;
using IlgpuVq.Engine.Autograd;
using IlgpuVq.Engine.Devices;
using IlgpuVq.Engine.Tensors;
using IlgpuVq.Kernels;

namespace IlgpuVq.Engine.Ops;

/// <summary>
/// x [B,C,H,W] + bias [B,C] (a different bias per sample, broadcast over H and W), with gradients to both.
/// Kernels: <see cref="BatchBiasKernels"/>; reference: <c>BatchBiasReference</c>.
/// </summary>
public static class BatchBias
{
    internal static readonly KernelSlot<Action<Index1D, int, int, ArrayView<float>, ArrayView<float>, ArrayView<float>, int>> ForwardKernel =
        new(BatchBiasKernels.Forward);
    internal static readonly KernelSlot<Action<Index1D, int, int, ArrayView<float>, ArrayView<float>, int>> BiasGradKernel =
        new(BatchBiasKernels.BiasGrad);

    public static Tensor Add(Tensor x, Tensor bias)
    {
        Shape.RequireRank("batch_bias", x, 4);
        Shape.RequireRank("batch_bias", bias, 2);
        if (bias.Shape[0] != x.Shape[0] || bias.Shape[1] != x.Shape[1])
            throw new ArgumentException($"batch_bias: bias {bias.Describe()} does not match [B,C] of {x.Describe()}");
        int plane = x.Shape[2] * x.Shape[3];
        var y = Tensor.Empty(x.Device, x.Shape);
        if (y.Length > 0) x.Device.Launch(ForwardKernel, y.Length, x.View, bias.View, y.View, plane);
        return Backprop.Record(y, new BatchBiasBackward(bias.Shape, plane), x, bias);
    }

    sealed class BatchBiasBackward(int[] biasShape, int plane) : GradNode
    {
        public override Tensor?[] Backward(Tensor dy)
        {
            Tensor? db = null;
            if (Needs(1))
            {
                db = Tensor.Empty(dy.Device, biasShape);
                if (db.Length > 0) dy.Device.Launch(BiasGradKernel, db.Length, dy.View, db.View, plane);
            }
            return [Needs(0) ? dy : null, db];
        }
    }
}
