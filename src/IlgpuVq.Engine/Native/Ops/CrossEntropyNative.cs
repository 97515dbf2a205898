using ILGPU;
using ILGPU.Algorithms;
using IlgpuVq.Kernels;
using IlgpuVq.Engine.Ops;
using V = ILGPU.ArrayView<float>;
using I = ILGPU.ArrayView<int>;

namespace IlgpuVq.Engine.Native;

/// <summary>
/// Native softmax cross-entropy kernels (<see cref="CrossEntropyKernels"/>, used by the PixelCNN prior): the kernels'
/// per-item loops on raw pointers in parallel blocks, with the same <see cref="XMath"/> exp/log/max calls and float
/// summation orders, so outputs equal the kernels' bit for bit (scalar: vector exp/log would round differently).
/// </summary>
public static unsafe class CrossEntropyNative
{
    /// <summary>Positions per parallel work item of <see cref="Nll"/> (each reads all classes).</summary>
    const int PositionsPerBlock = 256;

    internal static void Register(NativeRegistry r)
    {
        r.Add(CrossEntropy.NllKernel, Nll);
        r.Add(CrossEntropy.PartialKernel, PartialSums);
        r.Add(CrossEntropy.BackKernel, SoftmaxBackward);
    }

    /// <summary>For positions p = b·hw + s &lt; total: lse[p] = m + log Σ_k exp(x[b,k,s] − m) with m = max_k x[b,k,s];
    /// nll[p] = lse[p] − x[b, t, s] for a target t ∈ [0, classes), else 0.</summary>
    public static void Nll(Index1D thread, int total, int stride, V logits, I targets, V nll, V lse, int classes, int hw)
    {
        float* px = NativeView.Ptr(logits), pn = NativeView.Ptr(nll), pl = NativeView.Ptr(lse);
        int* pt = NativeView.Ptr(targets);
        NativeParallel.ForBlocks(total, PositionsPerBlock, (start, end) =>
        {
            for (long p = start; p < end; p++)
            {
                long b = p / hw;
                float* x = px + b * classes * hw + (p - b * hw);
                float m = x[0];
                for (int k = 1; k < classes; k++) m = XMath.Max(m, x[(long)k * hw]);
                float sum = 0f;
                for (int k = 0; k < classes; k++) sum += XMath.Exp(x[(long)k * hw] - m);
                float l = m + XMath.Log(sum);
                pl[p] = l;
                int t = pt[p];
                pn[p] = t >= 0 && t < classes ? l - x[(long)t * hw] : 0f;
            }
        });
    }

    /// <summary>partials[c] = Σ x[j] over chunk c (ascending j, float from 0) for c &lt; total.</summary>
    public static void PartialSums(Index1D thread, int total, int stride, V x, V partials, int n, int chunk)
    {
        float* px = NativeView.Ptr(x), pp = NativeView.Ptr(partials);
        NativeParallel.For(total, c =>
        {
            long start = (long)c * chunk, end = Math.Min(start + chunk, n);
            float sum = 0f;
            for (long j = start; j < end; j++) sum += px[j];
            pp[c] = sum;
        });
    }

    /// <summary>dx[b,k,s] = g · (exp(x[b,k,s] − lse[p]) − [k = t]) with g = scale · (perPosition ≠ 0 ? dy[p] : dy[0]),
    /// p = b·hw + s, and 0 where the target is ignored; elements &lt; total, processed in runs of one (b, k) plane.</summary>
    public static void SoftmaxBackward(Index1D thread, int total, int stride, V logits, I targets, V lse,
        V dy, V dx, int classes, int hw, float scale, int perPosition)
    {
        float* px = NativeView.Ptr(logits), pl = NativeView.Ptr(lse), pdy = NativeView.Ptr(dy), pdx = NativeView.Ptr(dx);
        int* pt = NativeView.Ptr(targets);
        NativeParallel.ForBlocks(total, SimdMap.Block, (start, end) => PlaneRuns.Split(start, end, hw, (i, plane, s0, length) =>
        {
            long b = plane / classes;
            int k = (int)(plane - b * classes);
            for (long j = 0; j < length; j++)
            {
                long p = b * hw + s0 + j, o = i + j;
                int t = pt[p];
                float g = scale * (perPosition != 0 ? pdy[p] : pdy[0]);
                float prob = XMath.Exp(px[o] - pl[p]);
                pdx[o] = t >= 0 && t < classes ? g * (prob - (k == t ? 1f : 0f)) : 0f;
            }
        }));
    }
}
