using ILGPU;
using IlgpuVq.Engine.Devices;
using IlgpuVq.Engine.Tensors;
using IlgpuVq.Kernels;
using V = ILGPU.ArrayView<float>;

namespace IlgpuVq.Engine.Ops;

/// <summary>
/// Classifier-free guidance of stacked logits (kernel: <see cref="GuidanceKernels"/>; native: <c>Native.GuidanceNative</c>;
/// reference: <c>IlgpuVq.Checks.Reference.GuidanceReference</c>). Inference only: nothing is recorded on the tape.
/// </summary>
public static class Guidance
{
    internal static readonly KernelSlot<Action<Index1D, int, int, V, int, float, V>> MixKernel = new(GuidanceKernels.Mix);

    /// <summary>
    /// [2B, ...] → [B, ...]: y[b] = x[B + b] + <paramref name="scale"/>·(x[b] − x[B + b]), where rows b &lt; B of
    /// <paramref name="stacked"/> are the conditional logits and rows B + b the same samples' null-class logits. Scale 1 gives
    /// the conditional logits (up to rounding), 0 the unconditional ones, above 1 pushes away from the unconditional model.
    /// </summary>
    public static Tensor Mix(Tensor stacked, float scale)
    {
        const string op = "guidance_mix";
        if (stacked.Rank < 1 || stacked.Shape[0] < 2 || stacked.Shape[0] % 2 != 0 || stacked.DType != DType.Float32)
            throw new ArgumentException($"{op}: expected float32 [2B, ...] (conditional rows, then null-class rows), got {stacked.Describe()}");
        if (!float.IsFinite(scale)) throw new ArgumentException($"{op}: scale must be finite, got {scale}");
        int[] shape = [stacked.Shape[0] / 2, .. stacked.Shape[1..]];
        var y = Tensor.Empty(stacked.Device, shape);
        if (y.Length > 0) stacked.Device.Launch(MixKernel, y.Length, stacked.View, y.Length, scale, y.View);
        return y;
    }
}
