using ILGPU.Algorithms;

namespace IlgpuVq.Engine.Native;

/// <summary>
/// The overflow-free tanh and sigmoid of <c>ElementwiseKernels</c>, computed with the same <see cref="XMath"/> calls
/// (scalar: a vector approximation would not round like the kernels' functions), so native results equal the kernels'.
/// </summary>
public static class SaturatingFunctions
{
    /// <summary>tanh(clamp(x, −20, 20)).</summary>
    public static float Tanh(float x) => XMath.Tanh(XMath.Clamp(x, -20f, 20f));

    /// <summary>1 / (1 + e) for x ≥ 0, else e / (1 + e), with e = exp(−|x|).</summary>
    public static float Sigmoid(float x)
    {
        float e = XMath.Exp(-XMath.Abs(x));
        return x >= 0f ? 1f / (1f + e) : e / (1f + e);
    }
}
