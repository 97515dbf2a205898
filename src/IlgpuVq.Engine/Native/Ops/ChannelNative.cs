using ILGPU;
using IlgpuVq.Kernels;
using IlgpuVq.Engine.Ops;
using V = ILGPU.ArrayView<float>;

namespace IlgpuVq.Engine.Native;

/// <summary>Native channel-block copy (<see cref="ChannelKernels.CopyChannels"/>, behind concat and split): each
/// (n, c) plane of <c>inner</c> elements is one contiguous block copy.</summary>
public static unsafe class ChannelNative
{
    internal static void Register(NativeRegistry r) =>
        r.Add(Channels.CopyKernel, CopyChannels);

    /// <summary>dst[n, dstOffset + c, s] = src[n, srcOffset + c, s] for the first <c>total</c> elements of [N, count, inner].</summary>
    public static void CopyChannels(Index1D thread, int total, int stride, V src, int srcC, int srcOffset,
        V dst, int dstC, int dstOffset, int count, int inner)
    {
        float* ps = NativeView.Ptr(src), pd = NativeView.Ptr(dst);
        NativeParallel.ForBlocks(total, SimdMap.Block, (start, end) => PlaneRuns.Split(start, end, inner, (_, plane, s0, length) =>
        {
            long n = plane / count, c = plane - n * count, bytes = length * sizeof(float);
            Buffer.MemoryCopy(ps + (n * srcC + srcOffset + c) * inner + s0, pd + (n * dstC + dstOffset + c) * inner + s0, bytes, bytes);
        }));
    }
}
