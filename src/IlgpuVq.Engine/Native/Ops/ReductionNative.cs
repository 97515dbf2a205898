using ILGPU;
using IlgpuVq.Kernels;
using IlgpuVq.Engine.Ops;
using V = ILGPU.ArrayView<float>;

namespace IlgpuVq.Engine.Native;

/// <summary>
/// Native reductions. The grid-stride ones (<see cref="ReductionKernels.ChannelSlices"/>, <see cref="ReductionKernels.RowSum"/>,
/// the Broadcast backward kernels) keep each item's float summation order and arithmetic, so they equal the kernels bit
/// for bit. The native versions of the explicitly grouped first passes of the two-pass sums (<see cref="ReductionKernels.SumPartials"/>,
/// <see cref="LossKernels.SquaredErrorPartials"/>): partials[g] = scale · Σ over group g's share of the launch (the same
/// elements as on the GPU), accumulated in double in ascending index order (deterministic; on the native backend the ops
/// launch a single group, so this is one ordered sum).
/// </summary>
public static unsafe class ReductionNative
{
    internal static void Register(NativeRegistry r)
    {
        r.Add(Reduction.PartialsKernel, SumPartials);
        r.Add(Loss.PartialsKernel, SquaredErrorPartials);
        r.Add(Reduction.ChannelSlicesKernel, ChannelSlices);
        r.Add(Reduction.RowKernel, RowSum);
        r.Add(Reduction.BroadcastScalarKernel, BroadcastScalar);
        r.Add(Reduction.BroadcastChannelKernel, BroadcastChannel);
        r.Add(Reduction.BroadcastRowsKernel, BroadcastRows);
    }

    /// <summary>partials[c·slices + s] = Σ of channel c's elements k = s, s + slices, … (k = n·inner + j, ascending, float) for items &lt; total.</summary>
    public static void ChannelSlices(Index1D thread, int total, int stride, V x, int batch, int channels, int inner, int slices, V partials)
    {
        float* px = NativeView.Ptr(x), pp = NativeView.Ptr(partials);
        long count = (long)batch * inner;
        NativeParallel.ForBlocks(total, 16, (start, end) =>
        {
            for (long i = start; i < end; i++)
            {
                long c = i / slices;
                float acc = 0f;
                for (long k = i - c * slices; k < count; k += slices)
                {
                    long n = k / inner;
                    acc += px[(n * channels + c) * inner + (k - n * inner)];
                }
                pp[i] = acc;
            }
        });
    }

    /// <summary>y[r] = scale · Σ_j x[r·len + j] (j ascending, float) for r &lt; total.</summary>
    public static void RowSum(Index1D thread, int total, int stride, V x, int len, float scale, V y) =>
        RowSums.Ordered(NativeView.Ptr(x), total, len, scale, NativeView.Ptr(y));

    /// <summary>dx[i] = dy[0] · scale for i &lt; total.</summary>
    public static void BroadcastScalar(Index1D thread, int total, int stride, V dy, float scale, V dx) =>
        PlaneRuns.Broadcast(NativeView.Ptr(dy), 1, int.MaxValue, scale, NativeView.Ptr(dx), total);

    /// <summary>dx[i] = dy[(i / inner) mod channels] · scale for i &lt; total.</summary>
    public static void BroadcastChannel(Index1D thread, int total, int stride, V dy, int channels, int inner, float scale, V dx) =>
        PlaneRuns.Broadcast(NativeView.Ptr(dy), channels, inner, scale, NativeView.Ptr(dx), total);

    /// <summary>dx[i] = dy[i / len] · scale for i &lt; total.</summary>
    public static void BroadcastRows(Index1D thread, int total, int stride, V dy, int len, float scale, V dx) =>
        PlaneRuns.Broadcast(NativeView.Ptr(dy), int.MaxValue, len, scale, NativeView.Ptr(dx), total);

    public static void SumPartials(KernelConfig config, V x, int n, float scale, V partials)
    {
        float* px = NativeView.Ptr(x), pp = NativeView.Ptr(partials);
        ForGroups(config, n, (start, end) =>
        {
            double acc = 0;
            for (long k = start; k < end; k++) acc += px[k];
            return acc;
        }, scale, pp);
    }

    public static void SquaredErrorPartials(KernelConfig config, V p, V t, int n, float scale, V partials)
    {
        float* pp = NativeView.Ptr(p), pt = NativeView.Ptr(t), pOut = NativeView.Ptr(partials);
        ForGroups(config, n, (start, end) =>
        {
            double acc = 0;
            for (long k = start; k < end; k++)
            {
                double d = pp[k] - pt[k];
                acc += d * d;
            }
            return acc;
        }, scale, pOut);
    }

    /// <summary>partials[g] = scale · Σ of group g's chunks (GroupDim elements each; chunks g, g + G, …, the kernel's grid-stride
    /// order), each summed by <paramref name="runSum"/> from 0, added in that order in double. The native backend launches one
    /// group of one thread, whose chunks are single elements (each chunk sum exactly its one term), so that sum is one
    /// <paramref name="runSum"/> over all n elements: the same bits without a call per element (which had made the ref
    /// VQ-VAE's loss 1.5 ms of a step).</summary>
    static void ForGroups(KernelConfig config, int n, Func<long, long, double> runSum, float scale, float* partials)
    {
        int groups = config.GridDim.X, size = config.GroupDim.X;
        if (groups == 1 && size == 1)
        {
            partials[0] = (float)(runSum(0, n) * scale);
            return;
        }
        long step = (long)groups * size;
        NativeParallel.For(groups, g =>
        {
            double acc = 0;
            for (long start = (long)g * size; start < n; start += step) acc += runSum(start, Math.Min(n, start + size));
            partials[g] = (float)(acc * scale);
        });
    }
}
