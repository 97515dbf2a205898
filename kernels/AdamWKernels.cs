using ILGPU;
using ILGPU.Algorithms;

namespace IlgpuVq.Kernels;

/// <summary>
/// Per-step constants of AdamW, computed on the host in double once per step and passed by value.
/// </summary>
public struct AdamWStepConstants
{
    /// <summary>1 - lr·weightDecay (decoupled weight decay factor).</summary>
    public float Decay;
    public float Beta1;
    public float Beta2;
    public float Eps;
    /// <summary>lr / (1 - β1^t).</summary>
    public float StepSize;
    /// <summary>1 / sqrt(1 - β2^t).</summary>
    public float InvBias2Sqrt;
}

/// <summary>
/// The AdamW update (PyTorch semantics) over one flat parameter and its gradient and moments, one work item per element;
/// every thread owns its element of p, m and v, so the update is in place and deterministic:
/// p ← p·(1 - lr·wd); m ← β1·m + (1-β1)·g; v ← β2·v + (1-β2)·g²;
/// p ← p - (lr/(1-β1^t)) · m / (sqrt(v)/sqrt(1-β2^t) + eps).
/// </summary>
public static class AdamWKernels
{
    /// <summary>One AdamW step for element i.</summary>
    public static void Step(Index1D thread, int total, int stride, ArrayView<float> p, ArrayView<float> g, ArrayView<float> m, ArrayView<float> v, AdamWStepConstants k)
    {
        for (long item = thread; item < total; item += stride)
        {
            int i = (int)item;
            float grad = g[i];
            float mi = k.Beta1 * m[i] + (1f - k.Beta1) * grad;
            float vi = k.Beta2 * v[i] + (1f - k.Beta2) * grad * grad;
            m[i] = mi;
            v[i] = vi;
            float denom = XMath.Sqrt(vi) * k.InvBias2Sqrt + k.Eps;
            p[i] = p[i] * k.Decay - k.StepSize * mi / denom;
        }
    }
}
