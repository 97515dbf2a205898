using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace IlgpuVq.Engine.Native;

/// <summary>a + b.</summary>
public readonly struct Sum : IBinaryOp
{
    public Vector512<float> Apply(Vector512<float> a, Vector512<float> b) => a + b;
    public Vector256<float> Apply(Vector256<float> a, Vector256<float> b) => a + b;
    public float Apply(float a, float b) => a + b;
}

/// <summary>a − b.</summary>
public readonly struct Difference : IBinaryOp
{
    public Vector512<float> Apply(Vector512<float> a, Vector512<float> b) => a - b;
    public Vector256<float> Apply(Vector256<float> a, Vector256<float> b) => a - b;
    public float Apply(float a, float b) => a - b;
}

/// <summary>a · b.</summary>
public readonly struct Product : IBinaryOp
{
    public Vector512<float> Apply(Vector512<float> a, Vector512<float> b) => a * b;
    public Vector256<float> Apply(Vector256<float> a, Vector256<float> b) => a * b;
    public float Apply(float a, float b) => a * b;
}

/// <summary>factor · (a − b): the gradient of a scaled squared difference (factor already includes dy).</summary>
public readonly struct ScaledDifference(float factor) : IBinaryOp
{
    public Vector512<float> Apply(Vector512<float> a, Vector512<float> b) => Vector512.Create(factor) * (a - b);
    public Vector256<float> Apply(Vector256<float> a, Vector256<float> b) => Vector256.Create(factor) * (a - b);
    public float Apply(float a, float b) => factor * (a - b);
}

/// <summary>x itself (the op of a pass that may rectify its loads when it does not).</summary>
public readonly struct Unchanged : IUnaryOp
{
    public Vector512<float> Apply(Vector512<float> x) => x;
    public Vector256<float> Apply(Vector256<float> x) => x;
    public float Apply(float x) => x;
}

/// <summary>x · factor.</summary>
public readonly struct Scaled(float factor) : IUnaryOp
{
    public Vector512<float> Apply(Vector512<float> x) => x * Vector512.Create(factor);
    public Vector256<float> Apply(Vector256<float> x) => x * Vector256.Create(factor);
    public float Apply(float x) => x * factor;
}

/// <summary>x + offset.</summary>
public readonly struct Shifted(float offset) : IUnaryOp
{
    public Vector512<float> Apply(Vector512<float> x) => x + Vector512.Create(offset);
    public Vector256<float> Apply(Vector256<float> x) => x + Vector256.Create(offset);
    public float Apply(float x) => x + offset;
}

/// <summary>A constant (the input is ignored).</summary>
public readonly struct Constant(float value) : IUnaryOp
{
    public Vector512<float> Apply(Vector512<float> x) => Vector512.Create(value);
    public Vector256<float> Apply(Vector256<float> x) => Vector256.Create(value);
    public float Apply(float x) => value;
}

/// <summary>x &gt; 0 ? x : 0 (NaN and −0 give +0, as in the kernel). On x86 one vmaxps(x, 0), which returns its second operand
/// where x is NaN or ±0, so exactly that; elsewhere a compare and select.</summary>
public readonly struct Rectified : IUnaryOp
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Vector512<float> Apply(Vector512<float> x) => Avx512F.IsSupported
        ? Avx512F.Max(x, Vector512<float>.Zero)
        : Vector512.ConditionalSelect(Vector512.GreaterThan(x, Vector512<float>.Zero), x, Vector512<float>.Zero);
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Vector256<float> Apply(Vector256<float> x) => Avx.IsSupported
        ? Avx.Max(x, Vector256<float>.Zero)
        : Vector256.ConditionalSelect(Vector256.GreaterThan(x, Vector256<float>.Zero), x, Vector256<float>.Zero);
    public float Apply(float x) => x > 0f ? x : 0f;
}

/// <summary>x &gt; 0 ? dy : 0 (the ReLU gradient; a = x, b = dy).</summary>
public readonly struct RectifiedGradient : IBinaryOp
{
    public Vector512<float> Apply(Vector512<float> x, Vector512<float> dy) =>
        Vector512.ConditionalSelect(Vector512.GreaterThan(x, Vector512<float>.Zero), dy, Vector512<float>.Zero);
    public Vector256<float> Apply(Vector256<float> x, Vector256<float> dy) =>
        Vector256.ConditionalSelect(Vector256.GreaterThan(x, Vector256<float>.Zero), dy, Vector256<float>.Zero);
    public float Apply(float x, float dy) => x > 0f ? dy : 0f;
}

/// <summary>dy · (1 − y·y): the tanh gradient from its output (a = y, b = dy).</summary>
public readonly struct TanhGradient : IBinaryOp
{
    public Vector512<float> Apply(Vector512<float> y, Vector512<float> dy) => dy * (Vector512<float>.One - y * y);
    public Vector256<float> Apply(Vector256<float> y, Vector256<float> dy) => dy * (Vector256<float>.One - y * y);
    public float Apply(float y, float dy) => dy * (1f - y * y);
}

/// <summary>dy · y · (1 − y): the sigmoid gradient from its output (a = y, b = dy).</summary>
public readonly struct SigmoidGradient : IBinaryOp
{
    public Vector512<float> Apply(Vector512<float> y, Vector512<float> dy) => dy * y * (Vector512<float>.One - y);
    public Vector256<float> Apply(Vector256<float> y, Vector256<float> dy) => dy * y * (Vector256<float>.One - y);
    public float Apply(float y, float dy) => dy * y * (1f - y);
}
