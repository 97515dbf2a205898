using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace IlgpuVq.Engine.Native;

/// <summary>
/// The overflow-free tanh and sigmoid of <c>ElementwiseKernels</c> (finite for every finite input), 16 lanes at a time on the
/// AVX-512 path and 8 at a time otherwise, through a single-precision exp of non-positive arguments (<see cref="Exp(Vector512{float})"/>;
/// .NET's <c>Vector512.Exp</c> of floats is evaluated in double precision and was most of the gated activation's time): the
/// same steps lane for lane, so both widths give the same bits (tested). Without AVX-512 the 512-bit code runs
/// through .NET's software Vector512: 2.6–3.4× slower than the 256-bit code in an isolated warm loop on the Zen 3 VM, though
/// no slower inside a training step. They agree with the
/// kernels' <c>XMath</c> functions to a few ulp, not bit for bit; the scalar overloads run the same vector code on one lane, so
/// a result never depends on where a vector loop's tail starts.
/// <list type="bullet">
/// <item>sigmoid(x) = 1 / (1 + e) for x ≥ 0, e / (1 + e) otherwise, e = exp(−|x|).</item>
/// <item>tanh(x) = sign(x) · t(|x|), |x| clamped to 20: for |x| &lt; 0.625 the odd polynomial x + x·z·P(z), z = x² (the
/// classic single-precision minimax coefficients, no cancellation near 0), else (1 − e) / (1 + e), e = exp(−2|x|).</item>
/// </list>
/// </summary>
public static class SaturatingFunctions
{
    // The constants once, for both widths: |x| clamp, the end of tanh's polynomial range, its coefficients (P0 highest).
    const float ClampAt = 20f, SmallBelow = 0.625f;
    const float C0 = -5.70498872745e-3f, C1 = 2.06390887954e-2f, C2 = -5.37397155531e-2f, C3 = 1.33314422036e-1f, C4 = -3.33332819422e-1f;
    const uint Sign = 0x8000_0000u;
    // exp(u) for u ≤ 0 (Cody–Waite): n = round(u·log2 e) by the 1.5·2²³ shifter (round to nearest even in the float add),
    // r = u − n·ln 2 in two parts (|r| ≤ ½ ln 2), exp(r) = 1 + r + r²·Q(r) with Cephes' expf coefficients (Q0 highest;
    // relative error about 1.2e-7), times 2ⁿ built in the exponent bits. Below u = −87 (exp ≈ 1.6e-38) the result is 0, so
    // that n ≥ −126 and 2ⁿ is a normal float; sigmoid(−300) is then exactly 0.
    const float ExpFloor = -87f, Log2E = 1.44269504089f, Ln2Hi = 0.693359375f, Ln2Lo = -2.12194440e-4f, Shifter = 12582912f;
    const float Q0 = 1.9875691500e-4f, Q1 = 1.3981999507e-3f, Q2 = 8.3334519073e-3f, Q3 = 4.1665795894e-2f, Q4 = 1.6666665459e-1f, Q5 = 5.0000001201e-1f;
    const int ShifterBits = 0x4B40_0000, ExponentBias = 127;

    static readonly Vector512<float> One = Vector512<float>.One, Clamp = Vector512.Create(ClampAt), Small = Vector512.Create(SmallBelow);
    static readonly Vector512<float> P0 = Vector512.Create(C0), P1 = Vector512.Create(C1), P2 = Vector512.Create(C2), P3 = Vector512.Create(C3), P4 = Vector512.Create(C4);
    static readonly Vector512<uint> SignBit = Vector512.Create(Sign);

    /// <summary>exp(u) for u ≤ 0 (see the constants above).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    static Vector512<float> Exp(Vector512<float> u)
    {
        var below = Vector512.LessThan(u, Vector512.Create(ExpFloor));
        u = Vector512.Max(u, Vector512.Create(ExpFloor));
        var shifted = Vector512.FusedMultiplyAdd(u, Vector512.Create(Log2E), Vector512.Create(Shifter));
        var n = shifted - Vector512.Create(Shifter);
        var r = Vector512.FusedMultiplyAdd(n, Vector512.Create(-Ln2Hi), u);
        r = Vector512.FusedMultiplyAdd(n, Vector512.Create(-Ln2Lo), r);
        var q = Vector512.FusedMultiplyAdd(Vector512.Create(Q0), r, Vector512.Create(Q1));
        q = Vector512.FusedMultiplyAdd(q, r, Vector512.Create(Q2));
        q = Vector512.FusedMultiplyAdd(q, r, Vector512.Create(Q3));
        q = Vector512.FusedMultiplyAdd(q, r, Vector512.Create(Q4));
        q = Vector512.FusedMultiplyAdd(q, r, Vector512.Create(Q5));
        var e = Vector512.FusedMultiplyAdd(q, r * r, r) + One;
        var scale = Vector512.ShiftLeft(shifted.AsInt32() - Vector512.Create(ShifterBits - ExponentBias), 23).AsSingle();
        return Vector512.AndNot(e * scale, below.AsSingle());
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> Tanh(Vector512<float> x)
    {
        var ax = Vector512.Min(Vector512.Abs(x), Clamp);
        var z = ax * ax;
        var poly = (((P0 * z + P1) * z + P2) * z + P3) * z + P4;
        var near = poly * z * ax + ax;
        var e = Exp(-(ax + ax));
        var far = (One - e) / (One + e);
        var t = Vector512.ConditionalSelect(Vector512.LessThan(ax, Small), near, far);
        return (t.AsUInt32() | (x.AsUInt32() & SignBit)).AsSingle();
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> Sigmoid(Vector512<float> x)
    {
        var e = Exp(-Vector512.Abs(x));
        var d = One + e;
        return Vector512.ConditionalSelect(Vector512.GreaterThanOrEqual(x, Vector512<float>.Zero), One / d, e / d);
    }

    // The 256-bit twins: the same steps as the 512-bit functions above, in the same order (keep them in step).
    static readonly Vector256<float> One8 = Vector256<float>.One, Clamp8 = Vector256.Create(ClampAt), Small8 = Vector256.Create(SmallBelow);
    static readonly Vector256<float> P0x8 = Vector256.Create(C0), P1x8 = Vector256.Create(C1), P2x8 = Vector256.Create(C2), P3x8 = Vector256.Create(C3), P4x8 = Vector256.Create(C4);
    static readonly Vector256<uint> SignBit8 = Vector256.Create(Sign);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    static Vector256<float> Exp(Vector256<float> u)
    {
        var below = Vector256.LessThan(u, Vector256.Create(ExpFloor));
        u = Vector256.Max(u, Vector256.Create(ExpFloor));
        var shifted = Vector256.FusedMultiplyAdd(u, Vector256.Create(Log2E), Vector256.Create(Shifter));
        var n = shifted - Vector256.Create(Shifter);
        var r = Vector256.FusedMultiplyAdd(n, Vector256.Create(-Ln2Hi), u);
        r = Vector256.FusedMultiplyAdd(n, Vector256.Create(-Ln2Lo), r);
        var q = Vector256.FusedMultiplyAdd(Vector256.Create(Q0), r, Vector256.Create(Q1));
        q = Vector256.FusedMultiplyAdd(q, r, Vector256.Create(Q2));
        q = Vector256.FusedMultiplyAdd(q, r, Vector256.Create(Q3));
        q = Vector256.FusedMultiplyAdd(q, r, Vector256.Create(Q4));
        q = Vector256.FusedMultiplyAdd(q, r, Vector256.Create(Q5));
        var e = Vector256.FusedMultiplyAdd(q, r * r, r) + One8;
        var scale = Vector256.ShiftLeft(shifted.AsInt32() - Vector256.Create(ShifterBits - ExponentBias), 23).AsSingle();
        return Vector256.AndNot(e * scale, below.AsSingle());
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> Tanh(Vector256<float> x)
    {
        var ax = Vector256.Min(Vector256.Abs(x), Clamp8);
        var z = ax * ax;
        var poly = (((P0x8 * z + P1x8) * z + P2x8) * z + P3x8) * z + P4x8;
        var near = poly * z * ax + ax;
        var e = Exp(-(ax + ax));
        var far = (One8 - e) / (One8 + e);
        var t = Vector256.ConditionalSelect(Vector256.LessThan(ax, Small8), near, far);
        return (t.AsUInt32() | (x.AsUInt32() & SignBit8)).AsSingle();
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> Sigmoid(Vector256<float> x)
    {
        var e = Exp(-Vector256.Abs(x));
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
