using ILGPU;
using ILGPU.Algorithms;
using IlgpuVq.Kernels;
using IlgpuVq.Engine.Ops;
using V = ILGPU.ArrayView<float>;
using I = ILGPU.ArrayView<int>;

namespace IlgpuVq.Engine.Native;

/// <summary>
/// Native softmax cross-entropy kernels (<see cref="CrossEntropyKernels"/>, used by the PixelCNN prior), vectorized along
/// the positions of a plane (contiguous in NCHW logits): the same maxima, the same float sums in the same order of classes,
/// and <see cref="XMath.Log"/> per position, but exp by <see cref="ExpOfDifference"/> (single precision, within 2 float steps;
/// <see cref="XMath.Exp"/> per element was a quarter of the prior's non-convolution time), so NLL, log-sum-exp and gradients
/// agree with the kernels to rounding, not bit for bit. Results do not depend on the worker count: every element's lanes
/// and scalar tails run the same code.
/// </summary>
public static unsafe class CrossEntropyNative
{
    /// <summary>Positions per parallel work item of <see cref="Nll"/> (each reads all classes); also the most positions per run.</summary>
    const int PositionsPerBlock = 256;

    internal static void Register(NativeRegistry r)
    {
        r.Add(CrossEntropy.NllKernel, Nll);
        r.Add(CrossEntropy.PartialKernel, PartialSums);
        r.Add(CrossEntropy.BackKernel, SoftmaxBackward);
    }

    /// <summary>For positions p = b·hw + s &lt; total: lse[p] = m + log Σ_k exp(x[b,k,s] − m) with m = max_k x[b,k,s] (k ascending);
    /// nll[p] = lse[p] − x[b, t, s] for a target t ∈ [0, classes), else 0. A block's positions go in runs within one image,
    /// each class row of a run at once.</summary>
    public static void Nll(Index1D thread, int total, int stride, V logits, I targets, V nll, V lse, int classes, int hw)
    {
        float* px = NativeView.Ptr(logits), pn = NativeView.Ptr(nll), pl = NativeView.Ptr(lse);
        int* pt = NativeView.Ptr(targets);
        NativeParallel.ForBlocks(total, PositionsPerBlock, (start, end) => PlaneRuns.Split(start, end, hw, (p0, b, s0, length) =>
        {
            float* x = px + b * classes * hw + s0;
            float* m = stackalloc float[PositionsPerBlock], sum = stackalloc float[PositionsPerBlock], e = stackalloc float[PositionsPerBlock];
            new Span<float>(x, (int)length).CopyTo(new Span<float>(m, (int)length));
            for (int k = 1; k < classes; k++) SimdMap.BinaryRange(m, x + (long)k * hw, m, 0, length, new Maximum());
            new Span<float>(sum, (int)length).Clear();
            for (int k = 0; k < classes; k++)
            {
                SimdMap.BinaryRange(x + (long)k * hw, m, e, 0, length, new ExpOfDifference());
                SimdMap.BinaryRange(sum, e, sum, 0, length, new Sum());
            }
            for (int j = 0; j < length; j++)
            {
                float l = m[j] + XMath.Log(sum[j]);
                pl[p0 + j] = l;
                int t = pt[p0 + j];
                pn[p0 + j] = t >= 0 && t < classes ? l - x[(long)t * hw + j] : 0f;
            }
        }));
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
    /// p = b·hw + s, and 0 where the target is ignored; elements &lt; total, processed in runs of one (b, k) plane: the
    /// probabilities of a run at once, then its targets.</summary>
    public static void SoftmaxBackward(Index1D thread, int total, int stride, V logits, I targets, V lse,
        V dy, V dx, int classes, int hw, float scale, int perPosition)
    {
        float* px = NativeView.Ptr(logits), pl = NativeView.Ptr(lse), pdy = NativeView.Ptr(dy), pdx = NativeView.Ptr(dx);
        int* pt = NativeView.Ptr(targets);
        NativeParallel.ForBlocks(total, SimdMap.Block, (start, end) => PlaneRuns.Split(start, end, hw, (i, plane, s0, length) =>
        {
            long b = plane / classes, p0 = b * hw + s0;
            int k = (int)(plane - b * classes);
            SimdMap.BinaryRange(px + i, pl + p0, pdx + i, 0, length, new ExpOfDifference());
            for (long j = 0; j < length; j++)
            {
                long p = p0 + j, o = i + j;
                int t = pt[p];
                float g = scale * (perPosition != 0 ? pdy[p] : pdy[0]);
                pdx[o] = t >= 0 && t < classes ? g * (pdx[o] - (k == t ? 1f : 0f)) : 0f;
            }
        }));
    }
}
