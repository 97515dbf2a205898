using ILGPU;
using ILGPU.Algorithms;

namespace IlgpuVq.Kernels;

/// <summary>
/// Softmax cross-entropy over the channel axis of logits [B,K,H,W] (HW = 1 for [N,K]) against int32 targets
/// [B,H,W]. Numerically stable: per position lse = m + log Σ_k exp(x_k − m) with m = max_k x_k, so logits of
/// ±300 stay finite. A target outside [0, K) marks an ignored position (NLL 0, gradient 0).
/// The mean is deterministic: <see cref="PartialSums"/> sums fixed contiguous chunks in order, then
/// <see cref="ReductionKernels.AddPartialsInOrder"/> adds the chunk sums in order in one thread — no atomics, the same bits on every run.
/// </summary>
public static class CrossEntropyKernels
{
    /// <summary>Per position p = b·HW + s: lse[p] and nll[p] = lse[p] − x[b, t, s]; work items B·HW.</summary>
    public static void Nll(Index1D thread, int total, int stride, ArrayView<float> logits, ArrayView<int> targets, ArrayView<float> nll, ArrayView<float> lse, int classes, int hw)
    {
        for (long item = thread; item < total; item += stride)
        {
            int p = (int)item;
            int b = p / hw;
            int s = p - b * hw;
            long baseIndex = (long)b * classes * hw + s;
            float m = logits[baseIndex];
            for (int k = 1; k < classes; k++) m = XMath.Max(m, logits[baseIndex + (long)k * hw]);
            float sum = 0f;
            for (int k = 0; k < classes; k++) sum += XMath.Exp(logits[baseIndex + (long)k * hw] - m);
            float l = m + XMath.Log(sum);
            lse[p] = l;
            int t = targets[p];
            nll[p] = t >= 0 && t < classes ? l - logits[baseIndex + (long)t * hw] : 0f;
        }
    }

    /// <summary>partials[c] = Σ x[j] for j in [c·chunk, min(n, (c+1)·chunk)), summed in ascending order; work items chunk count.</summary>
    public static void PartialSums(Index1D thread, int total, int stride, ArrayView<float> x, ArrayView<float> partials, int n, int chunk)
    {
        for (long item = thread; item < total; item += stride)
        {
            int c = (int)item;
            long start = (long)(int)c * chunk;
            long end = XMath.Min(start + chunk, (long)n);
            float sum = 0f;
            for (long j = start; j < end; j++) sum += x[j];
            partials[c] = sum;
        }
    }

    /// <summary>
    /// dx[b, k, s] = g · (softmax_k − [k == t]) with g = scale · dy[0] (mean) or scale · dy[p] (per position,
    /// <paramref name="perPosition"/> ≠ 0), and 0 at ignored positions; work items B·K·HW.
    /// </summary>
    public static void SoftmaxBackward(Index1D thread, int total, int stride, ArrayView<float> logits, ArrayView<int> targets, ArrayView<float> lse,
        ArrayView<float> dy, ArrayView<float> dx, int classes, int hw, float scale, int perPosition)
    {
        for (long item = thread; item < total; item += stride)
        {
            int i = (int)item;
            int block = classes * hw;
            int b = i / block;
            int r = i - b * block;
            int k = r / hw;
            int s = r - k * hw;
            int p = b * hw + s;
            int t = targets[p];
            float g = scale * (perPosition != 0 ? dy[p] : dy[0]);
            float prob = XMath.Exp(logits[i] - lse[p]);
            dx[i] = t >= 0 && t < classes ? g * (prob - (k == t ? 1f : 0f)) : 0f;
        }
    }
}
