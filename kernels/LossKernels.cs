using ILGPU;

namespace IlgpuVq.Kernels;

/// <summary>
/// Fused losses over flat float32 views (layout-agnostic: prediction and target have the same shape).
/// <see cref="SquaredErrorPartials"/> is the first pass of the deterministic two-pass reduction of
/// <see cref="ReductionKernels"/> (same strided pattern and fixed tree, explicitly grouped, B floats of dynamic
/// shared memory) with (p - t)² formed on the fly, so no difference tensor is materialised.
/// </summary>
public static class LossKernels
{
    /// <summary>partials[g] = scale · Σ over this group's strided share of (p[k] - t[k])².</summary>
    public static void SquaredErrorPartials(ArrayView<float> p, ArrayView<float> t, int n, float scale, ArrayView<float> partials)
    {
        int stride = Grid.DimX * Group.DimX;
        float acc = 0f;
        for (int k = Grid.IdxX * Group.DimX + Group.IdxX; k < n; k += stride)
        {
            float d = p[k] - t[k];
            acc += d * d;
        }
        float total = ReductionKernels.GroupTreeSum(acc);
        if (Group.IdxX == 0) partials[Grid.IdxX] = total * scale;
    }

    /// <summary>dp[i] = scale · dy[0] · (p[i] - t[i]); scale = 2/n for the prediction, -2/n for the target.</summary>
    public static void MseBackward(Index1D thread, int total, int stride, ArrayView<float> p, ArrayView<float> t, ArrayView<float> dy, float scale, ArrayView<float> dp)
    {
        for (long item = thread; item < total; item += stride)
        {
            int i = (int)item;
            dp[i] = scale * dy[0] * (p[i] - t[i]);
        }
    }
}
