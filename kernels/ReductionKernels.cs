using ILGPU;

namespace IlgpuVq.Kernels;

/// <summary>
/// Deterministic sum reductions over contiguous float32 views, NCHW layout. No atomics: every sum is formed in
/// a fixed order that depends only on the length and the launch configuration (which the op derives from the
/// accelerator), so the same input gives bit-identical results run to run.
/// <list type="bullet">
/// <item><see cref="SumPartials"/>: explicitly grouped, dynamic shared memory of one float per thread. Thread t of
/// group g sums x[g·B + t], x[g·B + t + G·B], … (a fixed strided pattern), then the group combines its B values
/// with a fixed binary tree (any group size, not only powers of two) and writes partials[g]. A whole-tensor sum is
/// this kernel twice: G groups over x, then one group over the G partials.</item>
/// <item><see cref="ChannelSlices"/> then <see cref="RowSum"/>: per-channel sums of [N,C,inner] in two implicitly
/// grouped gathering passes (no barriers: cheap on the CPU simulator too, where a group barrier costs an OS thread
/// switch per simulated thread).</item>
/// <item><see cref="RowSum"/>: one work item per row of [rows, len] looping over its row (rows are short).</item>
/// <item>Broadcast kernels: the backward passes (dx = scale · dy[...]).</item>
/// </list>
/// </summary>
public static class ReductionKernels
{
    /// <summary>partials[g] = scale · Σ over this group's strided share of x[0..n).</summary>
    public static void SumPartials(ArrayView<float> x, int n, float scale, ArrayView<float> partials)
    {
        int stride = Grid.DimX * Group.DimX;
        float acc = 0f;
        for (int k = Grid.IdxX * Group.DimX + Group.IdxX; k < n; k += stride) acc += x[k];
        float total = GroupTreeSum(acc);
        if (Group.IdxX == 0) partials[Grid.IdxX] = total * scale;
    }

    /// <summary>
    /// y[0] = scale · Σ partials[c] for c = 0, 1, …, count−1 in that order, in one thread (the second pass of the
    /// fixed-order two-pass means of Codebook and CrossEntropy); launched with total 1.
    /// </summary>
    public static void AddPartialsInOrder(Index1D thread, int total, int stride, ArrayView<float> partials, ArrayView<float> y, int count, float scale)
    {
        for (long item = thread; item < total; item += stride)
        {
            if (item != 0) return;
            float sum = 0f;
            for (int c = 0; c < count; c++) sum += partials[c];
            y[0] = sum * scale;
        }
    }

    /// <summary>
    /// First pass of the per-channel sum of x [batch, channels, inner]: thread i = c·slices + s gathers elements
    /// k = s, s + slices, s + 2·slices, … (k = n·inner + j) of channel c into partials[i]. Adjacent threads read
    /// adjacent addresses; the second pass is <see cref="RowSum"/> over [channels, slices].
    /// </summary>
    public static void ChannelSlices(Index1D thread, int total, int stride, ArrayView<float> x, int batch, int channels, int inner, int slices, ArrayView<float> partials)
    {
        for (long item = thread; item < total; item += stride)
        {
            int i = (int)item;
            int c = i / slices;
            int count = batch * inner;
            float acc = 0f;
            for (int k = i - c * slices; k < count; k += slices)
            {
                int n = k / inner;
                acc += x[(n * channels + c) * inner + (k - n * inner)];
            }
            partials[i] = acc;
        }
    }

    /// <summary>y[r] = scale · Σ_j x[r·len + j], one work item per row.</summary>
    public static void RowSum(Index1D thread, int total, int stride, ArrayView<float> x, int len, float scale, ArrayView<float> y)
    {
        for (long item = thread; item < total; item += stride)
        {
            int r = (int)item;
            float acc = 0f;
            int start = r * len;
            for (int j = 0; j < len; j++) acc += x[start + j];
            y[r] = acc * scale;
        }
    }

    /// <summary>dx[i] = scale · dy[0] (backward of a whole-tensor sum or mean).</summary>
    public static void BroadcastScalar(Index1D thread, int total, int stride, ArrayView<float> dy, float scale, ArrayView<float> dx)
    {
        for (long item = thread; item < total; item += stride)
        {
            int i = (int)item;
            dx[i] = dy[0] * scale;
        }
    }

    /// <summary>dx[i] = scale · dy[(i / inner) mod channels] (backward of a per-channel sum or mean).</summary>
    public static void BroadcastChannel(Index1D thread, int total, int stride, ArrayView<float> dy, int channels, int inner, float scale, ArrayView<float> dx)
    {
        for (long item = thread; item < total; item += stride)
        {
            int i = (int)item;
            dx[i] = dy[(i / inner) % channels] * scale;
        }
    }

    /// <summary>dx[i] = scale · dy[i / len] (backward of a last-axis sum or mean).</summary>
    public static void BroadcastRows(Index1D thread, int total, int stride, ArrayView<float> dy, int len, float scale, ArrayView<float> dx)
    {
        for (long item = thread; item < total; item += stride)
        {
            int i = (int)item;
            dx[i] = dy[i / len] * scale;
        }
    }

    /// <summary>
    /// Sum of one value per thread over the group, in a fixed tree: with P the smallest power of two ≥ B, step
    /// s = P/2, P/4, …, 1 adds sh[t + s] into sh[t] for t &lt; s where t + s &lt; B. Needs B floats of dynamic
    /// shared memory. Every thread gets the total.
    /// </summary>
    internal static float GroupTreeSum(float value)
    {
        var sh = SharedMemory.GetDynamic<float>();
        int t = Group.IdxX;
        int size = Group.DimX;
        sh[t] = value;
        Group.Barrier();
        int p = 1;
        while (p < size) p <<= 1;
        for (int s = p >> 1; s > 0; s >>= 1)
        {
            if (t < s && t + s < size) sh[t] += sh[t + s];
            Group.Barrier();
        }
        return sh[0];
    }
}
