using ILGPU;

namespace IlgpuVq.Kernels;

/// <summary>
/// Transposed convolution (PyTorch <c>conv_transpose2d</c>), NCHW: x [N,Cin,H,W], weight [Cin,Cout,KH,KW] →
/// y [N,Cout,Hout,Wout], y[n,co,oh,ow] = bias[co] + Σ_{ci,kh,kw} x[n,ci,ih,iw]·w[ci,co,kh,kw] over oh = ih·s − p + kh,
/// ow = iw·s − p + kw. It is the adjoint of a convolution, so each kernel here is one of <see cref="Conv2dKernels"/>
/// applied to the "equivalent convolution" y → x, described by a <see cref="Conv2dGeometry"/> with
/// N, Cin = Cout_t, H = Hout, W = Wout, Cout = Cin_t, OH = H, OW = W, KH, KW, SH, SW = stride, PT, PL = padding
/// (the weight [Cin_t,Cout_t,KH,KW] is then exactly that convolution's [Cout,Cin,KH,KW]).
/// <list type="bullet">
/// <item><see cref="Forward"/>: a gather, each thread owning 4 output channels × 8 output columns that sum the input pixels
/// landing on them (the equivalent convolution's input gradient) — deterministic, no scatter, no atomics.</item>
/// <item><see cref="InputGrad"/>: dx = the equivalent convolution's forward (implicit GEMM tile) applied to dy.</item>
/// <item><see cref="WeightGrad"/>: dw gathered per tile of 4 input × 4 output channels of one tap, summing over N,H,W.</item>
/// </list>
/// Bias gradients use <see cref="Conv2dKernels.BiasGrad"/>.
/// </summary>
public static class ConvTranspose2dKernels
{
    /// <summary>y = conv_transpose(x, w) (+ bias when <paramref name="hasBias"/> ≠ 0); g is the equivalent convolution.
    /// Work items (<c>total</c>): N·ceil(Cout_t/4)·Hout·s·ceil(ceil(Wout/s)/8).</summary>
    public static void Forward(Index1D thread, int total, int stride, ArrayView<float> x, ArrayView<float> w, ArrayView<float> bias, ArrayView<float> y,
        Conv2dGeometry g, int hasBias) => Conv2dKernels.InputGrad(thread, total, stride, x, w, bias, y, g, hasBias);

    /// <summary>dx[n,ci,ih,iw] = Σ_{co,kh,kw} dy[n,co,ih·s − p + kh, iw·s − p + kw]·w[ci,co,kh,kw].
    /// Work items (<c>total</c>): N·ceil(Cin_t/4)·H·ceil(W/8).</summary>
    public static void InputGrad(Index1D thread, int total, int stride, ArrayView<float> dy, ArrayView<float> w, ArrayView<float> dx, Conv2dGeometry g) =>
        Conv2dKernels.Forward(thread, total, stride, dy, w, w, dx, g, 0);

    /// <summary>dw[ci,co,kh,kw] = Σ_{n,ih,iw} x[n,ci,ih,iw]·dy[n,co,ih·s − p + kh, iw·s − p + kw], split over batch chunks
    /// exactly like <see cref="Conv2dKernels.WeightGrad"/>. Work items (<c>total</c>): chunks·ceil(Cin_t/4)·ceil(Cout_t/4)·KH·KW.</summary>
    public static void WeightGrad(Index1D thread, int total, int stride, ArrayView<float> x, ArrayView<float> dy, ArrayView<float> dw, Conv2dGeometry g,
        int batchesPerChunk) => Conv2dKernels.WeightGrad(thread, total, stride, x, dy, dw, g, batchesPerChunk);
}
