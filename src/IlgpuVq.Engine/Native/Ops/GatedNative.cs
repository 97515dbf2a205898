using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace IlgpuVq.Engine.Native;

/// <summary>
/// The gated activation y = tanh(a) · σ(b) of x [N,2C,inner] (a = the first C channels, b = the last C) and its backward,
/// 16 lanes at a time on the AVX-512 path and 8 otherwise (<see cref="SaturatingFunctions"/>) over the contiguous runs of one sample's planes (<see cref="PlaneRuns.Split"/> with one sample's C·inner
/// outputs as the plane), in fixed parallel blocks of the output. A run's tail goes through the scalar overloads of
/// <see cref="SaturatingFunctions"/>, which run the same lane-wise vector code, so every element gets the same result.
/// </summary>
public static unsafe class GatedNative
{
    static readonly bool Use512 = NativeIsa.Use512;

    /// <summary>y[n·per + j] = tanh(x[n·2per + j]) · σ(x[n·2per + per + j]) over outputs [0, total), per = C·inner.</summary>
    public static void Forward(float* x, float* y, long total, long per) =>
        NativeParallel.ForBlocks(total, SimdMap.Block, (start, end) => PlaneRuns.Split(start, end, per, (i, n, j, length) =>
        {
            float* a = x + n * 2 * per + j;
            ForwardRun(a, a + per, y + i, length);
        }));

    /// <summary>dx[a] = dy·σ(b)·(1 − tanh²(a)), dx[b] = dy·tanh(a)·σ(b)·(1 − σ(b)) for each output's input pair.</summary>
    public static void Backward(float* x, float* dy, float* dx, long total, long per) =>
        NativeParallel.ForBlocks(total, SimdMap.Block, (start, end) => PlaneRuns.Split(start, end, per, (i, n, j, length) =>
        {
            long a = n * 2 * per + j;
            BackwardRun(x + a, x + a + per, dy + i, dx + a, dx + a + per, length);
        }));

    /// <summary>y[k] = tanh(a[k])·σ(b[k]) for k &lt; len (also the cached sampler's gate).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static void ForwardRun(float* a, float* b, float* y, long len)
    {
        long k = 0;
        if (Use512)
            for (; k + 16 <= len; k += 16)
                Vector512.Store(SaturatingFunctions.Tanh(Vector512.Load(a + k)) * SaturatingFunctions.Sigmoid(Vector512.Load(b + k)), y + k);
        else
            for (; k + 8 <= len; k += 8)
                Vector256.Store(SaturatingFunctions.Tanh(Vector256.Load(a + k)) * SaturatingFunctions.Sigmoid(Vector256.Load(b + k)), y + k);
        for (; k < len; k++) y[k] = SaturatingFunctions.Tanh(a[k]) * SaturatingFunctions.Sigmoid(b[k]);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    static void BackwardRun(float* a, float* b, float* dy, float* da, float* db, long len)
    {
        long k = 0;
        if (Use512)
            for (; k + 16 <= len; k += 16)
            {
                var t = SaturatingFunctions.Tanh(Vector512.Load(a + k));
                var s = SaturatingFunctions.Sigmoid(Vector512.Load(b + k));
                var g = Vector512.Load(dy + k);
                Vector512.Store(g * s * (Vector512<float>.One - t * t), da + k);
                Vector512.Store(g * t * s * (Vector512<float>.One - s), db + k);
            }
        else
            for (; k + 8 <= len; k += 8)
            {
                var t = SaturatingFunctions.Tanh(Vector256.Load(a + k));
                var s = SaturatingFunctions.Sigmoid(Vector256.Load(b + k));
                var g = Vector256.Load(dy + k);
                Vector256.Store(g * s * (Vector256<float>.One - t * t), da + k);
                Vector256.Store(g * t * s * (Vector256<float>.One - s), db + k);
            }
        for (; k < len; k++)
        {
            float t = SaturatingFunctions.Tanh(a[k]), s = SaturatingFunctions.Sigmoid(b[k]), g = dy[k];
            da[k] = g * s * (1f - t * t);
            db[k] = g * t * s * (1f - s);
        }
    }
}
