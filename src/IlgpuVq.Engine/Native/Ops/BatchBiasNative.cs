using ILGPU;
using IlgpuVq.Kernels;
using IlgpuVq.Engine.Ops;
using V = ILGPU.ArrayView<float>;

namespace IlgpuVq.Engine.Native;

/// <summary>Native per-sample channel bias (<see cref="BatchBiasKernels"/>): the forward add vectorised per plane, the
/// bias gradient one ordered float sum per (b, c) plane as in the kernel (bit-identical).</summary>
public static unsafe class BatchBiasNative
{
    internal static void Register(NativeRegistry r)
    {
        r.Add(BatchBias.ForwardKernel, Forward);
        r.Add(BatchBias.BiasGradKernel, BiasGrad);
    }

    /// <summary>y[i] = x[i] + bias[i / plane] for i &lt; total.</summary>
    public static void Forward(Index1D thread, int total, int stride, V x, V bias, V y, int plane) =>
        PlaneRuns.Add(NativeView.Ptr(x), NativeView.Ptr(bias), int.MaxValue, plane, NativeView.Ptr(y), total);

    /// <summary>dbias[bc] = Σ_p dy[bc·plane + p] (p ascending, float) for bc &lt; total.</summary>
    public static void BiasGrad(Index1D thread, int total, int stride, V dy, V dbias, int plane)
    {
        float* pdy = NativeView.Ptr(dy), pb = NativeView.Ptr(dbias);
        RowSums.Ordered(pdy, total, plane, 1f, pb);
    }
}
