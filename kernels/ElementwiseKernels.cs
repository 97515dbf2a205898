using ILGPU;
using ILGPU.Algorithms;

namespace IlgpuVq.Kernels;

/// <summary>
/// Elementwise kernels over contiguous float32 views: one work item per element, implicitly grouped
/// (<see cref="Index1D"/>), so the accelerator picks the group size. Layout matters only for the per-channel
/// ops (<see cref="BiasAdd"/>, <see cref="GatedActivation"/>): NCHW, with <c>inner</c> = H·W (1 for [N,C]).
/// Variants: only the plain one; these ops are memory-bound and a register tile buys nothing.
/// Saturating functions (tanh, sigmoid) are written so that no intermediate overflows: finite for any finite input.
/// </summary>
public static class ElementwiseKernels
{
    /// <summary>y[i] = value.</summary>
    public static void Fill(Index1D thread, int total, int stride, ArrayView<float> y, float value)
    {
        for (long item = thread; item < total; item += stride)
        {
            int i = (int)item;
            y[i] = value;
        }
    }

    /// <summary>y[i] = a[i] + b[i].</summary>
    public static void Add(Index1D thread, int total, int stride, ArrayView<float> a, ArrayView<float> b, ArrayView<float> y)
    {
        for (long item = thread; item < total; item += stride)
        {
            int i = (int)item;
            y[i] = a[i] + b[i];
        }
    }

    /// <summary>y[i] += x[i] (gradient accumulation into a tensor this thread alone writes).</summary>
    public static void AddInPlace(Index1D thread, int total, int stride, ArrayView<float> y, ArrayView<float> x)
    {
        for (long item = thread; item < total; item += stride)
        {
            int i = (int)item;
            y[i] += x[i];
        }
    }

    /// <summary>y[i] = a[i] - b[i].</summary>
    public static void Sub(Index1D thread, int total, int stride, ArrayView<float> a, ArrayView<float> b, ArrayView<float> y)
    {
        for (long item = thread; item < total; item += stride)
        {
            int i = (int)item;
            y[i] = a[i] - b[i];
        }
    }

    /// <summary>y[i] = a[i] · b[i].</summary>
    public static void Mul(Index1D thread, int total, int stride, ArrayView<float> a, ArrayView<float> b, ArrayView<float> y)
    {
        for (long item = thread; item < total; item += stride)
        {
            int i = (int)item;
            y[i] = a[i] * b[i];
        }
    }

    /// <summary>y[i] = x[i] · s.</summary>
    public static void Scale(Index1D thread, int total, int stride, ArrayView<float> x, float s, ArrayView<float> y)
    {
        for (long item = thread; item < total; item += stride)
        {
            int i = (int)item;
            y[i] = x[i] * s;
        }
    }

    /// <summary>y[i] *= s, in place.</summary>
    public static void ScaleInPlace(Index1D thread, int total, int stride, ArrayView<float> y, float s)
    {
        for (long item = thread; item < total; item += stride)
        {
            int i = (int)item;
            y[i] *= s;
        }
    }

    /// <summary>y[i] = x[i] + s.</summary>
    public static void AddScalar(Index1D thread, int total, int stride, ArrayView<float> x, float s, ArrayView<float> y)
    {
        for (long item = thread; item < total; item += stride)
        {
            int i = (int)item;
            y[i] = x[i] + s;
        }
    }

    /// <summary>y[i] = x[i] + bias[c], c = (i / inner) mod channels (NCHW or [N,C] with inner = 1).</summary>
    public static void BiasAdd(Index1D thread, int total, int stride, ArrayView<float> x, ArrayView<float> bias, int channels, int inner, ArrayView<float> y)
    {
        for (long item = thread; item < total; item += stride)
        {
            int i = (int)item;
            y[i] = x[i] + bias[(i / inner) % channels];
        }
    }

    /// <summary>y[i] = max(x[i], 0).</summary>
    public static void Relu(Index1D thread, int total, int stride, ArrayView<float> x, ArrayView<float> y)
    {
        for (long item = thread; item < total; item += stride)
        {
            int i = (int)item;
            y[i] = x[i] > 0f ? x[i] : 0f;
        }
    }

    /// <summary>dx[i] = x[i] &gt; 0 ? dy[i] : 0.</summary>
    public static void ReluBackward(Index1D thread, int total, int stride, ArrayView<float> x, ArrayView<float> dy, ArrayView<float> dx)
    {
        for (long item = thread; item < total; item += stride)
        {
            int i = (int)item;
            dx[i] = x[i] > 0f ? dy[i] : 0f;
        }
    }

    /// <summary>y[i] = tanh(x[i]).</summary>
    public static void Tanh(Index1D thread, int total, int stride, ArrayView<float> x, ArrayView<float> y)
    {
        for (long item = thread; item < total; item += stride)
        {
            int i = (int)item;
            y[i] = StableTanh(x[i]);
        }
    }

    /// <summary>dx[i] = dy[i] · (1 - y[i]²), from the saved output y = tanh(x).</summary>
    public static void TanhBackward(Index1D thread, int total, int stride, ArrayView<float> y, ArrayView<float> dy, ArrayView<float> dx)
    {
        for (long item = thread; item < total; item += stride)
        {
            int i = (int)item;
            dx[i] = dy[i] * (1f - y[i] * y[i]);
        }
    }

    /// <summary>y[i] = 1 / (1 + exp(-x[i])).</summary>
    public static void Sigmoid(Index1D thread, int total, int stride, ArrayView<float> x, ArrayView<float> y)
    {
        for (long item = thread; item < total; item += stride)
        {
            int i = (int)item;
            y[i] = StableSigmoid(x[i]);
        }
    }

    /// <summary>dx[i] = dy[i] · y[i] · (1 - y[i]), from the saved output y = sigmoid(x).</summary>
    public static void SigmoidBackward(Index1D thread, int total, int stride, ArrayView<float> y, ArrayView<float> dy, ArrayView<float> dx)
    {
        for (long item = thread; item < total; item += stride)
        {
            int i = (int)item;
            dx[i] = dy[i] * y[i] * (1f - y[i]);
        }
    }

    /// <summary>
    /// Gated activation of PixelCNN: x is [N, 2C, inner], y is [N, C, inner];
    /// y[n,c,j] = tanh(x[n,c,j]) · sigmoid(x[n,C+c,j]). One work item per output element.
    /// </summary>
    public static void GatedActivation(Index1D thread, int total, int stride, ArrayView<float> x, int channels, int inner, ArrayView<float> y)
    {
        for (long item = thread; item < total; item += stride)
        {
            int i = (int)item;
            int per = channels * inner;
            int a = (i / per) * 2 * per + i % per;
            y[i] = StableTanh(x[a]) * StableSigmoid(x[a + per]);
        }
    }

    /// <summary>
    /// Backward of <see cref="GatedActivation"/>: one work item per output element writes both input gradients it
    /// owns, dx[a] = dy·σ(b)·(1 - tanh²(a)) and dx[b] = dy·tanh(a)·σ(b)·(1 - σ(b)).
    /// </summary>
    public static void GatedActivationBackward(Index1D thread, int total, int stride, ArrayView<float> x, ArrayView<float> dy, int channels, int inner, ArrayView<float> dx)
    {
        for (long item = thread; item < total; item += stride)
        {
            int i = (int)item;
            int per = channels * inner;
            int a = (i / per) * 2 * per + i % per;
            float t = StableTanh(x[a]);
            float s = StableSigmoid(x[a + per]);
            float g = dy[i];
            dx[a] = g * s * (1f - t * t);
            dx[a + per] = g * t * s * (1f - s);
        }
    }

    /// <summary>tanh with the argument clamped to ±20, where tanh is ±1 in float32: no overflow anywhere.</summary>
    internal static float StableTanh(float x) => XMath.Tanh(XMath.Clamp(x, -20f, 20f));

    /// <summary>sigmoid through exp(-|x|) ∈ (0, 1]: never overflows.</summary>
    internal static float StableSigmoid(float x)
    {
        float e = XMath.Exp(-XMath.Abs(x));
        return x >= 0f ? 1f / (1f + e) : e / (1f + e);
    }
}
