using ILGPU;
using IlgpuVq.Kernels;
using IlgpuVq.Engine.Ops;
using V = ILGPU.ArrayView<float>;

namespace IlgpuVq.Engine.Native;

/// <summary>
/// Native <see cref="ConvTranspose2dKernels"/>: like the kernels, each is a <see cref="Conv2dNative"/> function applied to the
/// equivalent convolution g (see <see cref="ConvTranspose2dKernels"/>).
/// </summary>
public static class ConvTranspose2dNative
{
    internal static void Register(NativeRegistry r)
    {
        r.Add(ConvTranspose2d.ForwardKernel, Forward);
        r.Add(ConvTranspose2d.InputGradKernel, InputGrad);
        r.Add(ConvTranspose2d.WeightGradKernel, WeightGrad);
    }

    /// <summary>y = conv_transpose(x, w) (+ bias): the equivalent convolution's input gradient.</summary>
    public static void Forward(Index1D thread, int total, int stride, V x, V w, V bias, V y, Conv2dGeometry g, int hasBias) =>
        Conv2dNative.InputGrad(thread, total, stride, x, w, bias, y, g, hasBias);

    /// <summary>dx = the equivalent convolution's forward applied to dy.</summary>
    public static void InputGrad(Index1D thread, int total, int stride, V dy, V w, V dx, Conv2dGeometry g) =>
        Conv2dNative.Forward(thread, total, stride, dy, w, w, dx, g, 0);

    /// <summary>dw[ci,co,kh,kw]: the equivalent convolution's weight gradient with x as its output gradient and dy as its input.</summary>
    public static void WeightGrad(Index1D thread, int total, int stride, V x, V dy, V dw, Conv2dGeometry g, int batchesPerChunk) =>
        Conv2dNative.WeightGrad(thread, total, stride, x, dy, dw, g, batchesPerChunk);
}
