using System.Runtime.Intrinsics;

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
}
