using ILGPU;

namespace IlgpuVq.Kernels;

/// <summary>
/// Classifier-free guidance (Ho &amp; Salimans 2022, "Classifier-Free Diffusion Guidance") of a prior's logits: a sampler runs
/// a stacked batch [2B, ...] whose first B rows are conditioned on the samples' classes and whose last B rows on the null
/// class, and draws from l_null + s·(l_cond − l_null). One kernel, implicitly grouped: one work item per output element.
/// </summary>
public static class GuidanceKernels
{
    /// <summary>
    /// For x [2B, inner], <paramref name="half"/> = B·inner and i &lt; half: y[i] = x[half + i] + scale·(x[i] − x[half + i]) (the
    /// conditional element b·inner + j and its null-class element (B + b)·inner + j; in that order of operations, no FMA).
    /// </summary>
    public static void Mix(Index1D thread, int total, int stride, ArrayView<float> x, int half, float scale, ArrayView<float> y)
    {
        for (long item = thread; item < total; item += stride)
        {
            int i = (int)item;
            float unconditional = x[half + i];
            y[i] = unconditional + scale * (x[i] - unconditional);
        }
    }
}
