using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using ILGPU;
using IlgpuVq.Kernels;
using IlgpuVq.Engine.Ops;
using IlgpuVq.Engine.Optim;
using V = ILGPU.ArrayView<float>;

namespace IlgpuVq.Engine.Native;

/// <summary>
/// Native AdamW step (<see cref="AdamWKernels.Step"/>), 16 lanes at a time with the kernel's exact operation order
/// (separate multiplies and adds, correctly rounded sqrt and division), so parameters and moments equal the kernel's bit for bit.
/// </summary>
public static unsafe class AdamWNative
{
    internal static void Register(NativeRegistry r) =>
        r.Add(AdamW.StepKernel, Step);

    /// <summary>For i &lt; total: m ← β1·m + (1−β1)·g; v ← β2·v + (1−β2)·g·g; p ← p·decay − stepSize·m / (√v·invBias2Sqrt + eps).</summary>
    public static void Step(Index1D thread, int total, int stride, V p, V g, V m, V v, AdamWStepConstants k)
    {
        float* pp = NativeView.Ptr(p), pg = NativeView.Ptr(g), pm = NativeView.Ptr(m), pv = NativeView.Ptr(v);
        NativeParallel.ForBlocks(total, SimdMap.Block, (start, end) => StepRange(pp, pg, pm, pv, k, start, end));
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    static void StepRange(float* p, float* g, float* m, float* v, AdamWStepConstants k, long start, long end)
    {
        long i = start;
        if (Vector256.IsHardwareAccelerated) // Vector512 code; two 256-bit operations each on AVX2-only CPUs
        {
            var beta1 = Vector512.Create(k.Beta1);
            var oneMinusBeta1 = Vector512.Create(1f - k.Beta1);
            var beta2 = Vector512.Create(k.Beta2);
            var oneMinusBeta2 = Vector512.Create(1f - k.Beta2);
            var invBias2Sqrt = Vector512.Create(k.InvBias2Sqrt);
            var eps = Vector512.Create(k.Eps);
            var decay = Vector512.Create(k.Decay);
            var stepSize = Vector512.Create(k.StepSize);
            for (; i + Vector512<float>.Count <= end; i += Vector512<float>.Count)
            {
                var grad = Vector512.Load(g + i);
                var mi = beta1 * Vector512.Load(m + i) + oneMinusBeta1 * grad;
                var vi = beta2 * Vector512.Load(v + i) + oneMinusBeta2 * grad * grad;
                Vector512.Store(mi, m + i);
                Vector512.Store(vi, v + i);
                var denom = Vector512.Sqrt(vi) * invBias2Sqrt + eps;
                Vector512.Store(Vector512.Load(p + i) * decay - stepSize * mi / denom, p + i);
            }
        }
        for (; i < end; i++)
        {
            float grad = g[i];
            float mi = k.Beta1 * m[i] + (1f - k.Beta1) * grad;
            float vi = k.Beta2 * v[i] + (1f - k.Beta2) * grad * grad;
            m[i] = mi;
            v[i] = vi;
            float denom = MathF.Sqrt(vi) * k.InvBias2Sqrt + k.Eps;
            p[i] = p[i] * k.Decay - k.StepSize * mi / denom;
        }
    }
}
