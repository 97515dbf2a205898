using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace IlgpuVq.Engine.Native;

/// <summary>An elementwise function of one float, as a 16-lane and an 8-lane vector and as a scalar (the same rounding in all three).</summary>
public interface IUnaryOp
{
    Vector512<float> Apply(Vector512<float> x);
    Vector256<float> Apply(Vector256<float> x);
    float Apply(float x);
}

/// <summary>An elementwise function of two floats, as a 16-lane and an 8-lane vector and as a scalar (the same rounding in all three).</summary>
public interface IBinaryOp
{
    Vector512<float> Apply(Vector512<float> a, Vector512<float> b);
    Vector256<float> Apply(Vector256<float> a, Vector256<float> b);
    float Apply(float a, float b);
}

/// <summary>
/// Elementwise loops of the native backend: y[i] = op(x[i]) or op(a[i], b[i]) over i &lt; n, 16 lanes at a time on the
/// AVX-512 path and 8 otherwise, with a scalar tail (loops are compiled fully optimised on first call, since a kernel launched a
/// few times per step would otherwise run unoptimised tier-0 code for many steps), in fixed blocks of <see cref="Block"/> elements run in parallel. The op is
/// a struct type parameter, so each op gets its own specialised loop. Outputs may alias inputs (same index only).
/// </summary>
public static unsafe class SimdMap
{
    /// <summary>Elements per parallel work item (128 KiB of floats); launches up to this size run on the calling thread.</summary>
    public const int Block = 1 << 15;

    /// <summary>512-bit loops on the AVX-512 path; elsewhere 256-bit ones (without AVX2 too: .NET's software vectors, still
    /// the same bits). Software Vector512 on AVX2 kept up with 256-bit code on plain arithmetic but not on tanh and sigmoid
    /// (2.6–3.4× slower in an isolated warm loop on the Zen 3 VM; no slower inside a training step).</summary>
    static readonly bool Use512 = NativeIsa.Use512;

    /// <summary>y[i] = op(x[i]) for i &lt; n.</summary>
    public static void Unary<TOp>(float* x, float* y, long n, TOp op) where TOp : struct, IUnaryOp =>
        NativeParallel.ForBlocks(n, Block, (start, end) => UnaryRange(x, y, start, end, op));

    /// <summary>y[i] = op(a[i], b[i]) for i &lt; n.</summary>
    public static void Binary<TOp>(float* a, float* b, float* y, long n, TOp op) where TOp : struct, IBinaryOp =>
        NativeParallel.ForBlocks(n, Block, (start, end) => BinaryRange(a, b, y, start, end, op));

    /// <summary>y[i] = op(x[i]) for i in [start, end), on the calling thread.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void UnaryRange<TOp>(float* x, float* y, long start, long end, TOp op) where TOp : struct, IUnaryOp
    {
        long i = start;
        if (Use512)
            for (; i + Vector512<float>.Count <= end; i += Vector512<float>.Count)
                Vector512.Store(op.Apply(Vector512.Load(x + i)), y + i);
        else
            for (; i + Vector256<float>.Count <= end; i += Vector256<float>.Count)
                Vector256.Store(op.Apply(Vector256.Load(x + i)), y + i);
        for (; i < end; i++) y[i] = op.Apply(x[i]);
    }

    /// <summary>y[i] = op(a[i], b[i]) for i in [start, end), on the calling thread.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void BinaryRange<TOp>(float* a, float* b, float* y, long start, long end, TOp op) where TOp : struct, IBinaryOp
    {
        long i = start;
        if (Use512)
            for (; i + Vector512<float>.Count <= end; i += Vector512<float>.Count)
                Vector512.Store(op.Apply(Vector512.Load(a + i), Vector512.Load(b + i)), y + i);
        else
            for (; i + Vector256<float>.Count <= end; i += Vector256<float>.Count)
                Vector256.Store(op.Apply(Vector256.Load(a + i), Vector256.Load(b + i)), y + i);
        for (; i < end; i++) y[i] = op.Apply(a[i], b[i]);
    }
}
