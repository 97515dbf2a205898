using ILGPU;

namespace IlgpuVq.Kernels;

/// <summary>
/// Per-sample, per-channel bias: y[b,c,h,w] = x[b,c,h,w] + bias[b,c] over NCHW x and a [B,C] bias (the
/// class-conditional bias of the Gated PixelCNN, gathered from a class embedding). Forward: one work item per
/// element. Bias gradient: one work item per (b,c) summing its H·W upstream values in a fixed order
/// (deterministic, no atomics). Only plain variants: both are memory-bound.
/// </summary>
public static class BatchBiasKernels
{
    /// <summary>y = x + bias broadcast over the plane; <paramref name="plane"/> = H·W.</summary>
    public static void Forward(Index1D thread, int total, int stride, ArrayView<float> x, ArrayView<float> bias, ArrayView<float> y, int plane)
    {
        for (long item = thread; item < total; item += stride)
        {
            int i = (int)item;
            y[i] = x[i] + bias[i / plane];
        }
    }

    /// <summary>dbias[bc] = Σ_p dy[bc·plane + p].</summary>
    public static void BiasGrad(Index1D thread, int total, int stride, ArrayView<float> dy, ArrayView<float> dbias, int plane)
    {
        for (long item = thread; item < total; item += stride)
        {
            int bc = (int)item;
            float sum = 0f;
            long start = (long)(int)bc * plane;
            for (int p = 0; p < plane; p++) sum += dy[start + p];
            dbias[bc] = sum;
        }
    }
}
