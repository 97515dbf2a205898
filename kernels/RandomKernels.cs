using ILGPU;
using ILGPU.Algorithms;

namespace IlgpuVq.Kernels;

/// <summary>
/// Counter-based random numbers: Philox4x32-10 (Salmon et al., "Parallel random numbers: as easy as 1, 2, 3",
/// SC 2011). Key = the 64-bit seed split into (low, high) 32-bit words; counter = (low, high) words of
/// offset + element index, then 0, 0. Each element costs one Philox block and uses its first word (uniform,
/// Gumbel) or first two words (Box–Muller normal), so any element can be generated independently of the others
/// and a stream continues exactly by advancing the offset. One work item per element (implicitly grouped grid-stride loops), except
/// <see cref="SampleCategorical"/> (one work item per batch row, looping over the classes).
/// Layout for the categorical kernels: logits NCHW [B, K, H, W], codes [B, H, W] int32.
/// </summary>
public static class RandomKernels
{
    /// <summary>bits[i] = first 32-bit word of Philox4x32-10(counter = offset + i, key), as int (for exact tests).</summary>
    public static void UniformBits(Index1D thread, int total, int stride, ArrayView<int> bits, uint key0, uint key1, ulong offset)
    {
        for (long item = thread; item < total; item += stride)
        {
            int i = (int)item;
            bits[i] = (int)Block(offset + (ulong)i, key0, key1).X0;
        }
    }

    /// <summary>y[i] = lo + (hi - lo)·u, u = (word0 &gt;&gt; 8)·2⁻²⁴ ∈ [0, 1).</summary>
    public static void Uniform(Index1D thread, int total, int stride, ArrayView<float> y, uint key0, uint key1, ulong offset, float lo, float hi)
    {
        for (long item = thread; item < total; item += stride)
        {
            int i = (int)item;
            y[i] = lo + (hi - lo) * ToUnit(Block(offset + (ulong)i, key0, key1).X0);
        }
    }

    /// <summary>y[i] = mean + std·z, z = sqrt(-2 ln u1)·cos(2π u2), u1 = ((word0 &gt;&gt; 8) + 1)·2⁻²⁴ ∈ (0, 1], u2 from word1.</summary>
    public static void Normal(Index1D thread, int total, int stride, ArrayView<float> y, uint key0, uint key1, ulong offset, float mean, float std)
    {
        for (long item = thread; item < total; item += stride)
        {
            int i = (int)item;
            var r = Block(offset + (ulong)i, key0, key1);
            float u1 = (Top24(r.X0) + 1f) * (1f / 16777216f);
            float u2 = ToUnit(r.X1);
            y[i] = mean + std * XMath.Sqrt(-2f * XMath.Log(u1)) * XMath.Cos(2f * XMath.PI * u2);
        }
    }

    /// <summary>
    /// codes[b,h,w] = argmax_k(logits[b,k,h,w]·invTemperature + G_k), G_k = -ln(-ln u) with u = ((word0 &gt;&gt; 8) + ½)·2⁻²⁴
    /// from counter offset + ((b·H + h)·W + w)·K + k (so one offset serves a whole image), for b &lt; <paramref name="samples"/>
    /// (one work item each), <paramref name="plane"/> = H·W and <paramref name="pos"/> = h·W + w. greedy ≠ 0 drops the noise
    /// and the temperature (plain argmax). Ties go to the lowest k. The code also goes to codes[b + m·B, h, w] for
    /// 0 &lt; m &lt; <paramref name="copies"/> (a guided sampler's null-class rows share the code maps of their samples).
    /// </summary>
    public static void SampleCategorical(Index1D thread, int total, int stride, ArrayView<float> logits, ArrayView<int> codes, int classes, int plane,
        int pos, float invTemperature, int greedy, uint key0, uint key1, ulong offset, int samples, int copies)
    {
        for (long item = thread; item < total; item += stride)
        {
            int b = (int)item;
            ulong baseCounter = offset + (ulong)(((long)b * plane + pos) * classes);
            int code = GumbelArgmax(logits, b * classes * plane + pos, plane, classes, invTemperature, greedy, baseCounter, key0, key1);
            for (int m = 0; m < copies; m++) codes[(m * samples + b) * plane + pos] = code;
        }
    }

    /// <summary>
    /// argmax_k(logits[start + k·step]·invTemperature + G_k) over k &lt; classes, G_k = -ln(-ln u) with u = ((word0 &gt;&gt; 8) + ½)·2⁻²⁴
    /// from counter baseCounter + k; greedy ≠ 0: the plain argmax. Ties → lowest k. The draw of <see cref="SampleCategorical"/>
    /// (and of the cached sampler's <see cref="PixelCnnStepKernels.SamplePixel"/>).
    /// </summary>
    internal static int GumbelArgmax(ArrayView<float> logits, int start, int step, int classes, float invTemperature, int greedy,
        ulong baseCounter, uint key0, uint key1)
    {
        float best = 0f;
        int arg = 0;
        for (int k = 0; k < classes; k++)
        {
            float v = logits[start + k * step];
            if (greedy == 0)
            {
                float u = (Top24(Block(baseCounter + (ulong)k, key0, key1).X0) + 0.5f) * (1f / 16777216f);
                v = v * invTemperature - XMath.Log(-XMath.Log(u));
            }
            if (k == 0 || v > best)
            {
                best = v;
                arg = k;
            }
        }
        return arg;
    }

    /// <summary>codes[b, s] = argmax_k logits[b, k, s] over [B, K, inner] (ties → lowest k); one work item per (b, s).</summary>
    public static void ArgmaxChannel(Index1D thread, int total, int stride, ArrayView<float> logits, int classes, int inner, ArrayView<int> codes)
    {
        for (long item = thread; item < total; item += stride)
        {
            int i = (int)item;
            int b = i / inner;
            int s = i - b * inner;
            int start = b * classes * inner + s;
            float best = logits[start];
            int arg = 0;
            for (int k = 1; k < classes; k++)
            {
                float v = logits[start + k * inner];
                if (v > best)
                {
                    best = v;
                    arg = k;
                }
            }
            codes[i] = arg;
        }
    }

    internal static float ToUnit(uint word) => Top24(word) * (1f / 16777216f);

    /// <summary>The top 24 bits as a float, converted through int (uint → float would go through double in IL, which OpenCL lacks).</summary>
    internal static float Top24(uint word) => (int)(word >> 8);

    /// <summary>Philox4x32-10 of counter (low(c), high(c), 0, 0) under key (k0, k1).</summary>
    internal static Philox4 Block(ulong counter, uint k0, uint k1)
    {
        var x = new Philox4 { X0 = (uint)counter, X1 = (uint)(counter >> 32), X2 = 0u, X3 = 0u };
        for (int round = 0; round < 10; round++)
        {
            if (round > 0)
            {
                k0 += 0x9E3779B9u;
                k1 += 0xBB67AE85u;
            }
            ulong p0 = 0xD2511F53ul * x.X0;
            ulong p1 = 0xCD9E8D57ul * x.X2;
            uint hi0 = (uint)(p0 >> 32), lo0 = (uint)p0;
            uint hi1 = (uint)(p1 >> 32), lo1 = (uint)p1;
            x = new Philox4 { X0 = hi1 ^ x.X1 ^ k0, X1 = lo1, X2 = hi0 ^ x.X3 ^ k1, X3 = lo0 };
        }
        return x;
    }
}

/// <summary>One Philox4x32 block (four 32-bit words).</summary>
internal struct Philox4
{
    public uint X0, X1, X2, X3;
}
