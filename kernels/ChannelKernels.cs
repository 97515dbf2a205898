using ILGPU;

namespace IlgpuVq.Kernels;

/// <summary>
/// Channel-axis data movement over contiguous float32 tensors: copying a block of channels between
/// [N,C,inner] layouts (inner = H·W for NCHW, 1 for [N,C]) — the one kernel behind concat, slice/split and
/// their backward passes — and the NCHW ⇄ NHWC permutes. One work item per output element, implicitly
/// grouped; these kernels are pure memory traffic, so there are no other variants.
/// </summary>
public static class ChannelKernels
{
    /// <summary>
    /// For every (n, c, s) with c &lt; count: dst[n, dstOffset + c, s] = src[n, srcOffset + c, s], where src has
    /// srcC channels and dst has dstC channels, both with <paramref name="inner"/> elements per channel.
    /// Work items (<c>total</c>): N·count·inner.
    /// </summary>
    public static void CopyChannels(Index1D thread, int total, int stride, ArrayView<float> src, int srcC, int srcOffset,
        ArrayView<float> dst, int dstC, int dstOffset, int count, int inner)
    {
        for (long item = thread; item < total; item += stride)
        {
            int i = (int)item;
            int block = count * inner;
            int n = i / block;
            int r = i - n * block;
            int c = r / inner;
            int s = r - c * inner;
            dst[((long)n * dstC + dstOffset + c) * inner + s] = src[((long)n * srcC + srcOffset + c) * inner + s];
        }
    }

    /// <summary>y[n, s, c] = x[n, c, s] (NCHW → NHWC with s = h·W + w); work items N·HW·C.</summary>
    public static void NchwToNhwc(Index1D thread, int total, int stride, ArrayView<float> x, ArrayView<float> y, int channels, int hw)
    {
        for (long item = thread; item < total; item += stride)
        {
            int i = (int)item;
            int block = hw * channels;
            int n = i / block;
            int r = i - n * block;
            int s = r / channels;
            int c = r - s * channels;
            y[i] = x[((long)n * channels + c) * hw + s];
        }
    }

    /// <summary>y[n, c, s] = x[n, s, c] (NHWC → NCHW with s = h·W + w); work items N·C·HW.</summary>
    public static void NhwcToNchw(Index1D thread, int total, int stride, ArrayView<float> x, ArrayView<float> y, int channels, int hw)
    {
        for (long item = thread; item < total; item += stride)
        {
            int i = (int)item;
            int block = hw * channels;
            int n = i / block;
            int r = i - n * block;
            int c = r / hw;
            int s = r - c * hw;
            y[i] = x[((long)n * hw + s) * channels + c];
        }
    }
}
