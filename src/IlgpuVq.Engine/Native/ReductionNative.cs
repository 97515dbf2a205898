using ILGPU;
using IlgpuVq.Kernels;
using V = ILGPU.ArrayView<float>;

namespace IlgpuVq.Engine.Native;

/// <summary>
/// Native versions of the explicitly grouped first passes of the two-pass sums (<see cref="ReductionKernels.SumPartials"/>,
/// <see cref="LossKernels.SquaredErrorPartials"/>): partials[g] = scale · Σ over group g's share of the launch (the same
/// elements as on the GPU), accumulated in double in ascending index order (deterministic; on the native backend the ops
/// launch a single group, so this is one ordered sum).
/// </summary>
public static unsafe class ReductionNative
{
    internal static void Register(NativeRegistry r)
    {
        r.Explicit<Action<KernelConfig, V, int, float, V>>(ReductionKernels.SumPartials, SumPartials);
        r.Explicit<Action<KernelConfig, V, V, int, float, V>>(LossKernels.SquaredErrorPartials, SquaredErrorPartials);
    }

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

    /// <summary>Group g of G (size B) owns the runs [g·B + j·G·B, g·B + j·G·B + B) ∩ [0, n); partials[g] = scale · Σ runSum(run).</summary>
    static void ForGroups(KernelConfig config, int n, Func<long, long, double> runSum, float scale, float* partials)
    {
        int groups = config.GridDim.X, size = config.GroupDim.X;
        long step = (long)groups * size;
        NativeParallel.For(groups, g =>
        {
            double acc = 0;
            for (long start = (long)g * size; start < n; start += step) acc += runSum(start, Math.Min(n, start + size));
            partials[g] = (float)(acc * scale);
        });
    }
}
