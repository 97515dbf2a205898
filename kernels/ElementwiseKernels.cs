using ILGPU;

namespace IlgpuVq.Kernels;

/// <summary>
/// Elementwise kernels over contiguous float32 views: one thread per element, implicitly grouped
/// (<see cref="Index1D"/>), so the accelerator picks the group size. Layout does not matter here: every view
/// is a flat array of the same length as the launch extent unless a parameter says otherwise.
/// Variants: only the plain one; these ops are memory-bound and a register tile buys nothing.
/// </summary>
public static class ElementwiseKernels
{
    /// <summary>y[i] = value.</summary>
    public static void Fill(Index1D i, ArrayView<float> y, float value) => y[i] = value;

    /// <summary>y[i] = a[i] + b[i].</summary>
    public static void Add(Index1D i, ArrayView<float> a, ArrayView<float> b, ArrayView<float> y) => y[i] = a[i] + b[i];

    /// <summary>y[i] += x[i] (gradient accumulation into a tensor this thread alone writes).</summary>
    public static void AddInPlace(Index1D i, ArrayView<float> y, ArrayView<float> x) => y[i] += x[i];

    /// <summary>y[i] = max(x[i], 0).</summary>
    public static void Relu(Index1D i, ArrayView<float> x, ArrayView<float> y) => y[i] = x[i] > 0f ? x[i] : 0f;

    /// <summary>dx[i] = x[i] &gt; 0 ? dy[i] : 0.</summary>
    public static void ReluBackward(Index1D i, ArrayView<float> x, ArrayView<float> dy, ArrayView<float> dx) => dx[i] = x[i] > 0f ? dy[i] : 0f;
}
