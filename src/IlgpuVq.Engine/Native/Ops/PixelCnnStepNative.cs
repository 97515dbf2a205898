using ILGPU;
using ILGPU.Runtime;
using IlgpuVq.Kernels;
using IlgpuVq.Engine.Ops;
using V = ILGPU.ArrayView<float>;

namespace IlgpuVq.Engine.Native;

/// <summary>
/// Native versions of the cached-sampling step kernels (<see cref="PixelCnnStepKernels"/>): the same contract, computed for the
/// whole batch as matrix products, so every weight is read once per launch (the kernels' group per sample reads it once per
/// sample). The state is pixel-major, so a convolution tap is one product of a contiguous [pixels·B, C] block of the window with
/// the tap's weight slice read in place through strides (no gather, no im2col): <see cref="VerticalRow"/> sums the
/// (k/2+1)·k taps over the row (zero columns outside the grid are rows left out of the product), then v_to_h;
/// <see cref="HorizontalPixel"/> sums the k/2+1 taps at one column, gates, then residual and skip; <see cref="Head"/> is two
/// products. Biases initialise the outputs and the products accumulate onto them. Products by <see cref="Sgemm"/>; gates
/// through <see cref="SaturatingFunctions"/> (as the native gated activation). The per-position kernels (tens of µs each) run
/// on the calling thread: waking workers would cost more than it saves. Scratch: the calling thread's
/// <see cref="ScratchSlot.PixelCnnStep"/> buffer. Results do not depend on the worker count (Sgemm's guarantee; every other
/// element is written by one item).
/// </summary>
public static unsafe class PixelCnnStepNative
{
    internal static void Register(NativeRegistry r)
    {
        r.Add(PixelCnnStep.VerticalKernel, VerticalRow);
        r.Add(PixelCnnStep.HorizontalKernel, HorizontalPixel);
        r.Add(PixelCnnStep.HeadKernel, Head);
    }

    static float* P(V view) => NativeView.Ptr(view);

    /// <summary>See <see cref="PixelCnnStepKernels.VerticalRow"/>; the launch configuration is ignored.</summary>
    public static void VerticalRow(KernelConfig config, V window, V weight, V bias, V toHWeight, V toHBias, V classBias, V toH, V next,
        PixelCnnStepGeometry g)
    {
        int c = g.Channels, c2 = 2 * c, width = g.Width, batch = g.Batch, n = batch * width, half = g.Taps / 2;
        float* pToH = P(toH);
        FillRows(pToH, P(toHBias), n, c2);
        if (g.Row < 0) return;
        float* pre = NativeScratch.Get(ScratchSlot.PixelCnnStep, (long)n * c2);
        FillRows(pre, P(bias), n, c2);
        float* pWin = P(window), pW = P(weight);
        long plane = (long)width * batch * c;
        for (int s = 0; s < g.Slots; s++)
        {
            int r = g.Row - g.Slots + 1 + s;
            if (r < 0) continue;
            for (int t = 0; t < g.Taps; t++)
            {
                // Output column j reads input column j + shift: the valid outputs [j0, j1) read one contiguous block.
                int shift = t - half, j0 = Math.Max(0, -shift), j1 = Math.Min(width, width - shift);
                if (j1 <= j0) continue;
                var a = StridedMatrix.RowMajor(pWin + r % g.Slots * plane + (long)(j0 + shift) * batch * c, c);
                var w = new StridedMatrix(pW + s * g.Taps + t, g.Slots * g.Taps, (long)c * g.Slots * g.Taps);
                Sgemm.Multiply((j1 - j0) * batch, c2, c, 1f, a, w, pre + (long)j0 * batch * c2, c2, true, true);
            }
        }
        Sgemm.Multiply(n, c2, c2, 1f, StridedMatrix.RowMajor(pre, c2), StridedMatrix.Transposed(P(toHWeight), c2), pToH, c2, true, true);
        if (g.Next <= 0) return;
        float* pCb = P(classBias), dst = P(next) + g.Row % g.Next * plane;
        NativeParallel.ForBlocks(n, Math.Max(1, n / 8), (p0, p1) =>
        {
            for (long p = p0; p < p1; p++)
            {
                float* cb = pCb + p % batch * c2, v = pre + p * c2;
                NativeVector.AddTo(v, cb, c2);
                GatedNative.ForwardRun(v, v + c, dst + p * c, c);
            }
        });
    }

    /// <summary>See <see cref="PixelCnnStepKernels.HorizontalPixel"/>; the launch configuration is ignored.</summary>
    public static void HorizontalPixel(KernelConfig config, V input, V weight, V bias, V toH, V classBias, V resWeight, V resBias,
        V skipWeight, V skipBias, V output, V skip, PixelCnnStepGeometry g, int slot)
    {
        int c = g.Channels, c2 = 2 * c, width = g.Width, batch = g.Batch, col = g.Column;
        bool first = g.Next != 0;
        int taps = first ? g.Taps - 1 : g.Taps;
        float* pre = NativeScratch.Get(ScratchSlot.PixelCnnStep, (long)batch * (c2 + c));
        float* gated = pre + (long)batch * c2;
        float* pIn = P(input), pW = P(weight);
        long pixel = (long)batch * c, rowBase = (long)slot * width * pixel;
        FillRows(pre, P(bias), batch, c2);
        for (int t = 0; t < taps; t++)
        {
            int x = col - g.Taps + 1 + t;
            if (x < 0) continue;
            Sgemm.Multiply(batch, c2, c, 1f, StridedMatrix.RowMajor(pIn + rowBase + x * pixel, c), new StridedMatrix(pW + t, g.Taps, (long)c * g.Taps),
                pre, c2, true, false);
        }
        NativeVector.AddTo(pre, P(toH) + (long)col * batch * c2, batch * c2);
        NativeVector.AddTo(pre, P(classBias), batch * c2);
        for (int b = 0; b < batch; b++) GatedNative.ForwardRun(pre + (long)b * c2, pre + (long)b * c2 + c, gated + (long)b * c, c);
        float* outBlock = P(output) + col * pixel, pSkip = P(skip);
        FillRows(outBlock, P(resBias), batch, c);
        if (!first) NativeVector.AddTo(outBlock, pIn + rowBase + col * pixel, batch * c);
        Sgemm.Multiply(batch, c, c, 1f, StridedMatrix.RowMajor(gated, c), StridedMatrix.Transposed(P(resWeight), c), outBlock, c, true, false);
        if (first) FillRows(pSkip, P(skipBias), batch, c);
        else
            for (int b = 0; b < batch; b++) NativeVector.AddTo(pSkip + (long)b * c, P(skipBias), c);
        Sgemm.Multiply(batch, c, c, 1f, StridedMatrix.RowMajor(gated, c), StridedMatrix.Transposed(P(skipWeight), c), pSkip, c, true, false);
    }

    /// <summary>See <see cref="PixelCnnStepKernels.Head"/>; the launch configuration is ignored.</summary>
    public static void Head(KernelConfig config, V skip, V w1, V bias1, V w2, V bias2, V logits, int batch, int channels, int hiddenSize, int classes)
    {
        float* x = NativeScratch.Get(ScratchSlot.PixelCnnStep, (long)(channels + hiddenSize) * batch);
        float* hidden = x + (long)channels * batch, pSkip = P(skip), pLogits = P(logits);
        for (long i = 0; i < (long)batch * channels; i++) x[i] = Math.Max(0f, pSkip[i]);
        FillRows(hidden, P(bias1), batch, hiddenSize);
        Sgemm.Multiply(batch, hiddenSize, channels, 1f, StridedMatrix.RowMajor(x, channels), StridedMatrix.Transposed(P(w1), channels), hidden, hiddenSize, true, false);
        for (long i = 0; i < (long)batch * hiddenSize; i++) hidden[i] = Math.Max(0f, hidden[i]);
        FillRows(pLogits, P(bias2), batch, classes);
        Sgemm.Multiply(batch, classes, hiddenSize, 1f, StridedMatrix.RowMajor(hidden, hiddenSize), StridedMatrix.Transposed(P(w2), hiddenSize), pLogits, classes, true, false);
    }

    /// <summary>Every row of y [rows, len] = bias [len].</summary>
    static void FillRows(float* y, float* bias, long rows, int len)
    {
        var src = new ReadOnlySpan<float>(bias, len);
        for (long r = 0; r < rows; r++) src.CopyTo(new Span<float>(y + r * len, len));
    }

}
