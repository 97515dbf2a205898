using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace IlgpuVq.Engine.Native;

/// <summary>Elementwise helpers of the native kernels (results independent of the vector width: one rounding per element).</summary>
static unsafe class NativeVector
{
    /// <summary>dst[i] += src[i] for i &lt; count.</summary>
    public static void AddTo(float* dst, float* src, int count)
    {
        int i = 0;
        for (; i + 16 <= count; i += 16) (Vector512.Load(dst + i) + Vector512.Load(src + i)).Store(dst + i);
        for (; i + 8 <= count; i += 8) (Vector256.Load(dst + i) + Vector256.Load(src + i)).Store(dst + i);
        for (; i < count; i++) dst[i] += src[i];
    }

    /// <summary>dst[i] += value for i &lt; count.</summary>
    public static void AddScalar(float* dst, float value, int count)
    {
        int i = 0;
        var v = Vector512.Create(value);
        for (; i + 16 <= count; i += 16) (Vector512.Load(dst + i) + v).Store(dst + i);
        for (; i < count; i++) dst[i] += value;
    }

    /// <summary>Σ src[i] for i &lt; count: eight interleaved partial sums (lane j takes i ≡ j mod 8), added in lane order, then the tail.</summary>
    public static float Sum(float* src, int count)
    {
        int i = 0;
        var acc = Vector256<float>.Zero;
        for (; i + 8 <= count; i += 8) acc += Vector256.Load(src + i);
        float sum = 0f;
        for (int j = 0; j < 8; j++) sum += acc.GetElement(j);
        for (; i < count; i++) sum += src[i];
        return sum;
    }

    static readonly bool Use512 = NativeIsa.Use512;

    /// <summary>Lane i of the even-element permutation: 2i (elements 0..31 of two concatenated vectors).</summary>
    static readonly Vector512<int> EvenIndices = Vector512.Create(0, 2, 4, 6, 8, 10, 12, 14, 16, 18, 20, 22, 24, 26, 28, 30);
    static readonly Vector512<int> SpreadLow = Vector512.Create(0, 0, 1, 1, 2, 2, 3, 3, 4, 4, 5, 5, 6, 6, 7, 7);
    static readonly Vector512<int> SpreadHigh = Vector512.Create(8, 8, 9, 9, 10, 10, 11, 11, 12, 12, 13, 13, 14, 14, 15, 15);
    static readonly Vector512<float> EvenLanes = Vector512.Create(-1, 0, -1, 0, -1, 0, -1, 0, -1, 0, -1, 0, -1, 0, -1, 0).AsSingle();

    /// <summary>dst[i] = src[2i] for i &lt; count (reads src only up to index 2·(count − 1)).</summary>
    public static void GatherEven(float* dst, float* src, int count)
    {
        int i = 0;
        if (Use512)
            for (; i + 17 <= count; i += 16)
                Avx512F.PermuteVar16x32x2(Vector512.Load(src + 2 * i), EvenIndices, Vector512.Load(src + 2 * i + 16)).Store(dst + i);
        for (; i < count; i++) dst[i] = src[2 * i];
    }

    /// <summary>dst[2i] += src[i] for i &lt; count (touches dst only up to index 2·(count − 1); odd elements keep their bits).</summary>
    public static void AddToEven(float* dst, float* src, int count)
    {
        int i = 0;
        if (Use512)
            for (; i + 17 <= count; i += 16)
            {
                var s = Vector512.Load(src + i);
                var lo = Vector512.Load(dst + 2 * i);
                var hi = Vector512.Load(dst + 2 * i + 16);
                Vector512.ConditionalSelect(EvenLanes, lo + Avx512F.PermuteVar16x32(s, SpreadLow), lo).Store(dst + 2 * i);
                Vector512.ConditionalSelect(EvenLanes, hi + Avx512F.PermuteVar16x32(s, SpreadHigh), hi).Store(dst + 2 * i + 16);
            }
        for (; i < count; i++) dst[2 * i] += src[i];
    }
}
