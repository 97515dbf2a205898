using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace IlgpuVq.Engine.Native;

/// <summary>
/// The overflow-free tanh and sigmoid of <c>ElementwiseKernels</c> (finite for every finite input), 16 lanes at a time with
/// <see cref="Vector512.Exp(Vector512{float})"/> on the AVX-512 path and 8 at a time with <see cref="Vector256.Exp(Vector256{float})"/>
/// otherwise: the same steps lane for lane, so both widths give the same bits (tested). Without AVX-512 the 512-bit code runs
/// through .NET's software Vector512: 2.6–3.4× slower than the 256-bit code in an isolated warm loop on the Zen 3 VM, though
/// no slower inside a training step. They agree with the
/// kernels' <c>XMath</c> functions to a few ulp, not bit for bit; the scalar overloads run the same vector code on one lane, so
/// a result never depends on where a vector loop's tail starts.
/// <list type="bullet">
/// <item>sigmoid(x) = 1 / (1 + e) for x ≥ 0, e / (1 + e) otherwise, e = exp(−|x|).</item>
/// <item>tanh(x) = sign(x) · t(|x|), |x| clamped to 20: for |x| &lt; 0.625 the odd polynomial x + x·z·P(z), z = x² (the
/// classic single-precision minimax coefficients, no cancellation near 0), else 1 − 2 / (exp(2|x|) + 1).</item>
/// </list>
/// </summary>
public static class SaturatingFunctions
{
    // The constants once, for both widths: |x| clamp, the end of tanh's polynomial range, its coefficients (P0 highest).
    const float ClampAt = 20f, SmallBelow = 0.625f;
    const float C0 = -5.70498872745e-3f, C1 = 2.06390887954e-2f, C2 = -5.37397155531e-2f, C3 = 1.33314422036e-1f, C4 = -3.33332819422e-1f;
    const uint Sign = 0x8000_0000u;

    static readonly Vector512<float> One = Vector512<float>.One, Two = Vector512.Create(2f), Clamp = Vector512.Create(ClampAt), Small = Vector512.Create(SmallBelow);
    static readonly Vector512<float> P0 = Vector512.Create(C0), P1 = Vector512.Create(C1), P2 = Vector512.Create(C2), P3 = Vector512.Create(C3), P4 = Vector512.Create(C4);
    static readonly Vector512<uint> SignBit = Vector512.Create(Sign);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> Tanh(Vector512<float> x)
    {
        var ax = Vector512.Min(Vector512.Abs(x), Clamp);
        var z = ax * ax;
        var poly = (((P0 * z + P1) * z + P2) * z + P3) * z + P4;
        var near = poly * z * ax + ax;
        var far = One - Two / (Vector512.Exp(ax + ax) + One);
        var t = Vector512.ConditionalSelect(Vector512.LessThan(ax, Small), near, far);
        return (t.AsUInt32() | (x.AsUInt32() & SignBit)).AsSingle();
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> Sigmoid(Vector512<float> x)
    {
        var e = Vector512.Exp(-Vector512.Abs(x));
        var d = One + e;
        return Vector512.ConditionalSelect(Vector512.GreaterThanOrEqual(x, Vector512<float>.Zero), One / d, e / d);
    }

    // The 256-bit twins: the same steps as the 512-bit functions above, in the same order (keep them in step).
    static readonly Vector256<float> One8 = Vector256<float>.One, Two8 = Vector256.Create(2f), Clamp8 = Vector256.Create(ClampAt), Small8 = Vector256.Create(SmallBelow);
    static readonly Vector256<float> P0x8 = Vector256.Create(C0), P1x8 = Vector256.Create(C1), P2x8 = Vector256.Create(C2), P3x8 = Vector256.Create(C3), P4x8 = Vector256.Create(C4);
    static readonly Vector256<uint> SignBit8 = Vector256.Create(Sign);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> Tanh(Vector256<float> x)
    {
        var ax = Vector256.Min(Vector256.Abs(x), Clamp8);
        var z = ax * ax;
        var poly = (((P0x8 * z + P1x8) * z + P2x8) * z + P3x8) * z + P4x8;
        var near = poly * z * ax + ax;
        var far = One8 - Two8 / (Vector256.Exp(ax + ax) + One8);
        var t = Vector256.ConditionalSelect(Vector256.LessThan(ax, Small8), near, far);
        return (t.AsUInt32() | (x.AsUInt32() & SignBit8)).AsSingle();
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> Sigmoid(Vector256<float> x)
    {
        var e = Vector256.Exp(-Vector256.Abs(x));
        var d = One8 + e;
        return Vector256.ConditionalSelect(Vector256.GreaterThanOrEqual(x, Vector256<float>.Zero), One8 / d, e / d);
    }

    static readonly bool Use512 = NativeIsa.Use512;

    /// <summary>tanh(clamp(x, −20, 20)) through the vector code of this process's width.</summary>
    public static float Tanh(float x) => Use512 ? Tanh(Vector512.Create(x)).ToScalar() : Tanh(Vector256.Create(x)).ToScalar();

    /// <summary>sigmoid(x) through the vector code of this process's width.</summary>
    public static float Sigmoid(float x) => Use512 ? Sigmoid(Vector512.Create(x)).ToScalar() : Sigmoid(Vector256.Create(x)).ToScalar();
}

/// <summary>tanh (saturating).</summary>
public readonly struct Tanh : IUnaryOp
{
    public Vector512<float> Apply(Vector512<float> x) => SaturatingFunctions.Tanh(x);
    public Vector256<float> Apply(Vector256<float> x) => SaturatingFunctions.Tanh(x);
    public float Apply(float x) => SaturatingFunctions.Tanh(x);
}

/// <summary>sigmoid (overflow-free).</summary>
public readonly struct Sigmoid : IUnaryOp
{
    public Vector512<float> Apply(Vector512<float> x) => SaturatingFunctions.Sigmoid(x);
    public Vector256<float> Apply(Vector256<float> x) => SaturatingFunctions.Sigmoid(x);
    public float Apply(float x) => SaturatingFunctions.Sigmoid(x);
}
