using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace IlgpuVq.Engine.Native;

/// <summary>
/// The gated activation y = tanh(a) · σ(b) of x [N,2C,inner] (a = the first C channels, b = the last C) and its backward,
/// 16 lanes at a time over the contiguous runs of one sample's planes, in fixed parallel blocks of the output. A run's
/// last partial vector is computed through a 16-float copy, so every element goes through the same vector code.
/// </summary>
public static unsafe class GatedNative
{
    const int L = 16;

    /// <summary>y[n·per + j] = tanh(x[n·2per + j]) · σ(x[n·2per + per + j]) over outputs [0, total), per = C·inner.</summary>
    public static void Forward(float* x, float* y, long total, long per) =>
        NativeParallel.ForBlocks(total, SimdMap.Block, (start, end) => Runs(start, end, per, (i, a, len) => ForwardRun(x + a, x + a + per, y + i, len)));

    /// <summary>dx[a] = dy·σ(b)·(1 − tanh²(a)), dx[b] = dy·tanh(a)·σ(b)·(1 − σ(b)) for each output's input pair.</summary>
    public static void Backward(float* x, float* dy, float* dx, long total, long per) =>
        NativeParallel.ForBlocks(total, SimdMap.Block, (start, end) =>
            Runs(start, end, per, (i, a, len) => BackwardRun(x + a, x + a + per, dy + i, dx + a, dx + a + per, len)));

    /// <summary>Splits outputs [start, end) into runs inside one sample: run(i, a, len) with a = the input offset of output i.</summary>
    static void Runs(long start, long end, long per, Action<long, long, long> run)
    {
        for (long i = start; i < end;)
        {
            long n = i / per, j = i - n * per, len = Math.Min(end - i, per - j);
            run(i, n * 2 * per + j, len);
            i += len;
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    static void ForwardRun(float* a, float* b, float* y, long len)
    {
        long k = 0;
        for (; k + L <= len; k += L)
            Vector512.Store(SaturatingFunctions.Tanh(Vector512.Load(a + k)) * SaturatingFunctions.Sigmoid(Vector512.Load(b + k)), y + k);
        if (k == len) return;
        float* ta = stackalloc float[L], tb = stackalloc float[L], ty = stackalloc float[L];
        Copy(a + k, ta, len - k); Copy(b + k, tb, len - k);
        ForwardRun(ta, tb, ty, L);
        Copy(ty, y + k, len - k);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    static void BackwardRun(float* a, float* b, float* dy, float* da, float* db, long len)
    {
        var one = Vector512<float>.One;
        long k = 0;
        for (; k + L <= len; k += L)
        {
            var t = SaturatingFunctions.Tanh(Vector512.Load(a + k));
            var s = SaturatingFunctions.Sigmoid(Vector512.Load(b + k));
            var g = Vector512.Load(dy + k);
            Vector512.Store(g * s * (one - t * t), da + k);
            Vector512.Store(g * t * s * (one - s), db + k);
        }
        if (k == len) return;
        float* ta = stackalloc float[L], tb = stackalloc float[L], tg = stackalloc float[L], tda = stackalloc float[L], tdb = stackalloc float[L];
        Copy(a + k, ta, len - k); Copy(b + k, tb, len - k); Copy(dy + k, tg, len - k);
        BackwardRun(ta, tb, tg, tda, tdb, L);
        Copy(tda, da + k, len - k); Copy(tdb, db + k, len - k);
    }

    /// <summary>Copies <paramref name="count"/> (&lt; 16) floats; the rest of a 16-float temporary stays as stackalloc left it (zeroed).</summary>
    static void Copy(float* from, float* to, long count)
    {
        for (long i = 0; i < count; i++) to[i] = from[i];
    }
}
