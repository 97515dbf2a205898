using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using ILGPU;
using ILGPU.Runtime;
using IlgpuVq.Kernels;
using V = ILGPU.ArrayView<float>;

namespace IlgpuVq.Engine.Native;

/// <summary>
/// Native versions of the cached-sampling step kernels (<see cref="PixelCnnStepKernels"/>): the same contract, computed for the
/// whole batch as matrix products with the batch as the columns, so every weight is read once per launch (the kernels' group per
/// sample reads it once per sample). <see cref="VerticalRow"/>: the window's im2col [C·(k/2+1)·k, B·W] × the vertical weight,
/// then v_to_h; <see cref="HorizontalPixel"/>: the row's last k/2+1 columns [C·(k/2+1), B] × the horizontal weight, the gate,
/// then residual and skip; <see cref="Head"/>: two products. Products by <see cref="Sgemm"/>; gates through
/// <see cref="SaturatingFunctions"/> (as the native gated activation); scratch in the calling thread's
/// <see cref="ScratchSlot.PixelCnnStep"/> buffer. Results are independent of the worker count (Sgemm's guarantee, and every
/// other element is written by one item).
/// </summary>
public static unsafe class PixelCnnStepNative
{
    internal static void Register(NativeRegistry r)
    {
        r.Explicit<Action<KernelConfig, V, V, V, V, V, V, V, V, PixelCnnStepGeometry>>(PixelCnnStepKernels.VerticalRow, VerticalRow);
        r.Explicit<Action<KernelConfig, V, V, V, V, V, V, V, V, V, V, V, PixelCnnStepGeometry, int>>(PixelCnnStepKernels.HorizontalPixel, HorizontalPixel);
        r.Explicit<Action<KernelConfig, V, V, V, V, V, V, int, int, int, int>>(PixelCnnStepKernels.Head, Head);
    }

    static float* P(V view) => NativeView.Ptr(view);

    /// <summary>See <see cref="PixelCnnStepKernels.VerticalRow"/>; the launch configuration is ignored.</summary>
    public static void VerticalRow(KernelConfig config, V window, V weight, V bias, V toHWeight, V toHBias, V classBias, V toH, V next,
        PixelCnnStepGeometry g)
    {
        int c = g.Channels, c2 = 2 * c, width = g.Width, n = g.Batch * width, depth = c * g.Slots * g.Taps;
        float* pToH = P(toH), pToHBias = P(toHBias);
        if (g.Row < 0)
        {
            NativeParallel.For(g.Batch, b =>
            {
                for (int o = 0; o < c2; o++) new Span<float>(pToH + ((long)b * c2 + o) * width, width).Fill(pToHBias[o]);
            });
            return;
        }
        float* cols = NativeScratch.Get(ScratchSlot.PixelCnnStep, (long)depth * n + 2L * c2 * n);
        float* pre = cols + (long)depth * n, mixed = pre + (long)c2 * n;
        float* pWin = P(window);
        int half = g.Taps / 2;
        NativeParallel.ForBlocks(c, Math.Max(1, c / 8), (c0, c1) =>
        {
            for (int ci = (int)c0; ci < c1; ci++)
                for (int s = 0; s < g.Slots; s++)
                {
                    int r = g.Row - g.Slots + 1 + s;
                    for (int t = 0; t < g.Taps; t++)
                    {
                        float* dst = cols + ((long)(ci * g.Slots + s) * g.Taps + t) * n;
                        for (int b = 0; b < g.Batch; b++)
                        {
                            float* d = dst + b * width;
                            float* src = r < 0 ? null : pWin + ((long)(b * c + ci) * g.Slots + r % g.Slots) * width;
                            for (int j = 0; j < width; j++)
                            {
                                int x = j - half + t;
                                d[j] = src != null && x >= 0 && x < width ? src[x] : 0f;
                            }
                        }
                    }
                }
        });
        Sgemm.Multiply(c2, n, depth, 1f, StridedMatrix.RowMajor(P(weight), depth), StridedMatrix.RowMajor(cols, n), pre, n, false, true);
        float* pBias = P(bias);
        for (int o = 0; o < c2; o++) NativeVector.AddScalar(pre + (long)o * n, pBias[o], n);
        Sgemm.Multiply(c2, n, c2, 1f, StridedMatrix.RowMajor(P(toHWeight), c2), StridedMatrix.RowMajor(pre, n), mixed, n, false, true);
        float* pCb = P(classBias), pNext = P(next);
        NativeParallel.For(g.Batch, b =>
        {
            for (int o = 0; o < c2; o++)
            {
                float* src = mixed + (long)o * n + b * width, dst = pToH + ((long)b * c2 + o) * width;
                for (int j = 0; j < width; j++) dst[j] = src[j] + pToHBias[o];
            }
            if (g.Next <= 0) return;
            for (int o = 0; o < c; o++)
                GateRun(pre + (long)o * n + b * width, pCb[b * c2 + o], pre + (long)(c + o) * n + b * width, pCb[b * c2 + c + o],
                    pNext + ((long)(b * c + o) * g.Next + g.Row % g.Next) * width, width);
        });
    }

    /// <summary>See <see cref="PixelCnnStepKernels.HorizontalPixel"/>; the launch configuration is ignored.</summary>
    public static void HorizontalPixel(KernelConfig config, V input, V weight, V bias, V toH, V classBias, V resWeight, V resBias,
        V skipWeight, V skipBias, V output, V skip, PixelCnnStepGeometry g, int slot)
    {
        int c = g.Channels, c2 = 2 * c, width = g.Width, batch = g.Batch, col = g.Column, depth = c * g.Taps;
        bool first = g.Next != 0;
        int taps = first ? g.Taps - 1 : g.Taps;
        float* cols = NativeScratch.Get(ScratchSlot.PixelCnnStep, (long)depth * batch + 7L * c * batch);
        float* pre = cols + (long)depth * batch, a = pre + (long)c2 * batch, gate = a + (long)c * batch, gated = gate + (long)c * batch;
        float* mixed = gated + (long)c * batch;
        float* pIn = P(input);
        for (int ci = 0; ci < c; ci++)
            for (int t = 0; t < g.Taps; t++)
            {
                float* dst = cols + (long)(ci * g.Taps + t) * batch;
                int x = col - g.Taps + 1 + t;
                for (int b = 0; b < batch; b++)
                    dst[b] = t < taps && x >= 0 ? pIn[((long)(b * c + ci) * g.Slots + slot) * width + x] : 0f;
            }
        Sgemm.Multiply(c2, batch, depth, 1f, StridedMatrix.RowMajor(P(weight), depth), StridedMatrix.RowMajor(cols, batch), pre, batch, false, true);
        float* pBias = P(bias), pToH = P(toH), pCb = P(classBias);
        for (int o = 0; o < c; o++)
            for (int b = 0; b < batch; b++)
            {
                a[o * batch + b] = pre[o * batch + b] + pBias[o] + pToH[((long)b * c2 + o) * width + col] + pCb[b * c2 + o];
                gate[o * batch + b] = pre[(c + o) * batch + b] + pBias[c + o] + pToH[((long)b * c2 + c + o) * width + col] + pCb[b * c2 + c + o];
            }
        GateRun(a, 0f, gate, 0f, gated, c * batch);
        Sgemm.Multiply(c, batch, c, 1f, StridedMatrix.RowMajor(P(resWeight), c), StridedMatrix.RowMajor(gated, batch), mixed, batch, false, true);
        Sgemm.Multiply(c, batch, c, 1f, StridedMatrix.RowMajor(P(skipWeight), c), StridedMatrix.RowMajor(gated, batch), mixed + (long)c * batch, batch, false, true);
        float* pOut = P(output), pSkip = P(skip), pResBias = P(resBias), pSkipBias = P(skipBias);
        for (int o = 0; o < c; o++)
            for (int b = 0; b < batch; b++)
            {
                float r = mixed[o * batch + b] + pResBias[o], s = mixed[(c + o) * batch + b] + pSkipBias[o];
                pOut[((long)b * c + o) * width + col] = first ? r : pIn[((long)(b * c + o) * g.Slots + slot) * width + col] + r;
                pSkip[b * c + o] = first ? s : pSkip[b * c + o] + s;
            }
    }

    /// <summary>See <see cref="PixelCnnStepKernels.Head"/>; the launch configuration is ignored.</summary>
    public static void Head(KernelConfig config, V skip, V w1, V bias1, V w2, V bias2, V logits, int batch, int channels, int hiddenSize, int classes)
    {
        float* x = NativeScratch.Get(ScratchSlot.PixelCnnStep, (long)(channels + hiddenSize + classes) * batch);
        float* hidden = x + (long)channels * batch, outT = hidden + (long)hiddenSize * batch;
        float* pSkip = P(skip), pB1 = P(bias1), pB2 = P(bias2), pLogits = P(logits);
        for (int i = 0; i < channels; i++)
            for (int b = 0; b < batch; b++) x[i * batch + b] = Math.Max(0f, pSkip[b * channels + i]);
        Sgemm.Multiply(hiddenSize, batch, channels, 1f, StridedMatrix.RowMajor(P(w1), channels), StridedMatrix.RowMajor(x, batch), hidden, batch, false, true);
        for (int m = 0; m < hiddenSize; m++)
            for (int b = 0; b < batch; b++) hidden[m * batch + b] = Math.Max(0f, hidden[m * batch + b] + pB1[m]);
        Sgemm.Multiply(classes, batch, hiddenSize, 1f, StridedMatrix.RowMajor(P(w2), hiddenSize), StridedMatrix.RowMajor(hidden, batch), outT, batch, false, true);
        for (int k = 0; k < classes; k++)
            for (int b = 0; b < batch; b++) pLogits[b * classes + k] = outT[k * batch + b] + pB2[k];
    }

    /// <summary>y[i] = tanh(a[i] + biasA)·σ(b[i] + biasB) for i &lt; len, 16 lanes at a time, the tail through the one-lane functions.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    static void GateRun(float* a, float biasA, float* b, float biasB, float* y, int len)
    {
        int i = 0;
        var ba = Vector512.Create(biasA);
        var bb = Vector512.Create(biasB);
        for (; i + 16 <= len; i += 16)
            Vector512.Store(SaturatingFunctions.Tanh(Vector512.Load(a + i) + ba) * SaturatingFunctions.Sigmoid(Vector512.Load(b + i) + bb), y + i);
        for (; i < len; i++) y[i] = SaturatingFunctions.Tanh(a[i] + biasA) * SaturatingFunctions.Sigmoid(b[i] + biasB);
    }
}
