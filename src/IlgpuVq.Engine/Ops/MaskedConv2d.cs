using ILGPU;
using ILGPU.Runtime;
using IlgpuVq.Engine.Autograd;
using IlgpuVq.Engine.Devices;
using IlgpuVq.Engine.Tensors;
using IlgpuVq.Kernels;

namespace IlgpuVq.Engine.Ops;

/// <summary>Which PixelCNN mask pattern (see <see cref="MaskedConv2dKernels"/>).</summary>
public enum MaskKind
{
    /// <summary>Full k×k PixelCNN mask: rows above the centre and the left part of the centre row.</summary>
    Full = 0,
    /// <summary>Vertical stack, kernel (k/2+1)×k: every row up to and including the centre row.</summary>
    Vertical = 1,
    /// <summary>Horizontal stack, kernel 1×(k/2+1): the columns up to the current pixel (the last column).</summary>
    Horizontal = 2,
}

/// <summary>Whether a mask excludes (A, first layer) or includes (B, later layers) the current pixel.</summary>
public enum MaskType
{
    A = 0,
    B = 1,
}

/// <summary>
/// Masked convolution for Gated PixelCNN: conv2d (stride 1) with weight ⊙ mask. The mask applies to the forward pass and to
/// the weight gradient (masked-out weights get exactly zero gradient). Kernels: <see cref="MaskedConv2dKernels"/> and
/// <see cref="Conv2dKernels"/>; reference: <c>IlgpuVq.Checks.Reference.MaskedConv2dReference</c>.
/// </summary>
public static class MaskedConv2d
{
    internal static readonly KernelSlot<Action<Index1D, int, int, ArrayView<float>, int, int, int, int>> BuildKernel = new(MaskedConv2dKernels.BuildMask);
    internal static readonly KernelSlot<Action<Index1D, int, int, ArrayView<float>, ArrayView<float>, ArrayView<float>>> MultiplyKernel = new(MaskedConv2dKernels.Multiply);

    /// <summary>A [cOut,cIn,kH,kW] mask of zeros and ones, built on <paramref name="device"/> (in the current scope).
    /// Horizontal masks need kH = 1; vertical ones kH ≤ kW/2 + 1 or a full kW×kW kernel.</summary>
    public static Tensor BuildMask(ComputeDevice device, MaskKind kind, MaskType type, int kH, int kW, int cOut, int cIn)
    {
        if (kH < 1 || kW < 1 || cOut < 1 || cIn < 1)
            throw new ArgumentException($"masked_conv2d: mask shape [{cOut},{cIn},{kH},{kW}] must be positive");
        if (kind == MaskKind.Horizontal && kH != 1)
            throw new ArgumentException($"masked_conv2d: a horizontal-stack mask needs a 1×k kernel, got {kH}x{kW}");
        var mask = Tensor.Empty(device, cOut, cIn, kH, kW);
        device.Launch(BuildKernel, mask.Length, mask.View, (int)kind, (int)type, kH, kW);
        return mask;
    }

    /// <summary>
    /// The zero padding that keeps H×W and makes the kernel causal: Full (kH/2, kH−1−kH/2, kW/2, kW−1−kW/2); Vertical puts the
    /// centre row kW/2 on the current row (top kW/2, bottom kH−1−kW/2, left/right as Full); Horizontal (0, 0, kW−1, 0).
    /// </summary>
    public static Padding2d CausalPadding(MaskKind kind, int kH, int kW) => kind switch
    {
        MaskKind.Full => new Padding2d(kH / 2, kH - 1 - kH / 2, kW / 2, kW - 1 - kW / 2),
        MaskKind.Vertical => new Padding2d(kW / 2, Math.Max(0, kH - 1 - kW / 2), kW / 2, kW - 1 - kW / 2),
        _ => new Padding2d(0, kH - 1, kW - 1, 0),
    };

    /// <summary>conv2d(x, weight ⊙ mask, bias), stride 1. <paramref name="mask"/> has the weight's shape and never gets a gradient.</summary>
    public static Tensor Apply(Tensor x, Tensor weight, Tensor mask, Tensor? bias, Padding2d padding)
    {
        Shape.RequireSame("masked_conv2d (weight vs mask)", weight, mask);
        Shape.RequireSameDevice("masked_conv2d", weight, mask);
        var masked = Tensor.Empty(weight.Device, weight.Shape);
        if (masked.Length > 0) weight.Device.Launch(MultiplyKernel, masked.Length, weight.View, mask.View, masked.View);
        Backprop.Record(masked, new MaskBackward(mask), weight);
        return Conv2d.Apply(x, masked, bias, 1, 1, padding);
    }

    sealed class MaskBackward(Tensor mask) : GradNode
    {
        public override Tensor?[] Backward(Tensor dMasked)
        {
            var dw = Tensor.Empty(mask.Device, mask.Shape);
            if (dw.Length > 0) mask.Device.Launch(MultiplyKernel, dw.Length, dMasked.View, mask.View, dw.View);
            return [dw];
        }
    }
}
