using System.Reflection;
using System.Runtime.Intrinsics;
using IlgpuVq.Engine.Native;

namespace IlgpuVq.Tests.Native;

/// <summary>
/// The native elementwise code has a 512-bit form (the AVX-512 path) and a 256-bit form (every other path), written
/// twice; they must give the same bits lane for lane, or results would depend on the CPU. Checked here for tanh, sigmoid
/// and every <see cref="IUnaryOp"/> / <see cref="IBinaryOp"/> of the engine, on values around each function's branch points
/// and on random ones (on an AVX2-only machine the 512-bit form runs in .NET's software vectors: the same question).
/// </summary>
public class NativeVectorWidthTests
{
    /// <summary>Zeros, tiny and subnormal values, the tanh polynomial's edge (0.625), the clamp (20), large values and NaN,
    /// both signs, then random values in [−30, 30]; a multiple of 16 long.</summary>
    static float[] Inputs()
    {
        var edges = new List<float> { 0f, 1e-30f, 1e-42f, 1e-7f, 0.3f, 0.6249999f, 0.625f, 0.6250001f, 1f, 5f, 8.9f, 19.999f, 20f, 20.001f, 88f, 89f, 1e30f, float.MaxValue, float.NaN };
        var values = edges.Concat(edges.Select(v => -v)).ToList();
        var rng = new Random(5);
        while (values.Count % 16 != 0 || values.Count < 4096) values.Add((float)(rng.NextDouble() * 60 - 30));
        return values.ToArray();
    }

    static void AssertSameBits(Func<Vector512<float>, Vector512<float>> wide, Func<Vector256<float>, Vector256<float>> narrow, string what)
    {
        var x = Inputs();
        for (int i = 0; i < x.Length; i += 16)
        {
            var w = wide(Vector512.Create(x.AsSpan(i, 16)));
            var lo = narrow(Vector256.Create(x.AsSpan(i, 8)));
            var hi = narrow(Vector256.Create(x.AsSpan(i + 8, 8)));
            for (int j = 0; j < 16; j++)
            {
                float n = j < 8 ? lo[j] : hi[j - 8];
                Assert.True(BitConverter.SingleToInt32Bits(w[j]) == BitConverter.SingleToInt32Bits(n),
                    $"{what}({x[i + j]:R}): 512-bit {w[j]:R}, 256-bit {n:R}");
            }
        }
    }

    [Fact]
    public void TanhAndSigmoidGiveTheSameBitsAtBothWidths()
    {
        AssertSameBits(SaturatingFunctions.Tanh, SaturatingFunctions.Tanh, "tanh");
        AssertSameBits(SaturatingFunctions.Sigmoid, SaturatingFunctions.Sigmoid, "sigmoid");
    }

    /// <summary>Distance in float steps between <paramref name="actual"/> and <paramref name="expected"/> rounded to float
    /// (both finite and of the same sign here).</summary>
    static long Ulps(float actual, double expected) =>
        Math.Abs((long)BitConverter.SingleToInt32Bits(actual) - BitConverter.SingleToInt32Bits((float)expected));

    /// <summary>The single-precision exp behind both functions: tanh and sigmoid within 2 float steps of the double-precision
    /// functions on a dense sweep of [−30, 30] (every 2⁻¹² around the branch points at 0.625 and the clamp at 20 included),
    /// and sigmoid exactly 0 once exp(x) is below the smallest normal float (x &lt; −87).</summary>
    [Fact]
    public void TanhAndSigmoidAreWithinTwoFloatStepsOfDouble()
    {
        long worstTanh = 0, worstSigmoid = 0;
        for (int i = -30 * 4096; i <= 30 * 4096; i++)
        {
            float x = i / 4096f;
            worstTanh = Math.Max(worstTanh, Ulps(SaturatingFunctions.Tanh(x), Math.Tanh(x)));
            worstSigmoid = Math.Max(worstSigmoid, Ulps(SaturatingFunctions.Sigmoid(x), 1 / (1 + Math.Exp(-(double)x))));
        }
        Assert.True(worstTanh <= 2, $"tanh: {worstTanh} float steps");
        Assert.True(worstSigmoid <= 2, $"sigmoid: {worstSigmoid} float steps");
        Assert.Equal(1.6458114e-38, SaturatingFunctions.Sigmoid(-87f), 1e-44);
        Assert.Equal(0f, SaturatingFunctions.Sigmoid(-87.01f));
        Assert.Equal(0f, SaturatingFunctions.Sigmoid(-1e30f));
    }

    [Fact]
    public void TheScalarFunctionsAreOneLaneOfTheVectorOnes()
    {
        foreach (float x in Inputs())
        {
            Assert.Equal(BitConverter.SingleToInt32Bits(SaturatingFunctions.Tanh(Vector256.Create(x)).ToScalar()), BitConverter.SingleToInt32Bits(SaturatingFunctions.Tanh(x)));
            Assert.Equal(BitConverter.SingleToInt32Bits(SaturatingFunctions.Sigmoid(Vector256.Create(x)).ToScalar()), BitConverter.SingleToInt32Bits(SaturatingFunctions.Sigmoid(x)));
        }
    }

    /// <summary>Every op struct of the engine (a float parameter of its constructor set to 0.7).</summary>
    static IEnumerable<object> Ops(Type op) =>
        typeof(SimdMap).Assembly.GetTypes().Where(t => t.IsValueType && op.IsAssignableFrom(t))
            .Select(t => t.GetConstructors(BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance)
                .Select(c => c.Invoke(c.GetParameters().Select(_ => (object)0.7f).ToArray())).FirstOrDefault() ?? Activator.CreateInstance(t)!);

    [Fact]
    public void EveryElementwiseOpGivesTheSameBitsAtBothWidths()
    {
        var unary = Ops(typeof(IUnaryOp)).Cast<IUnaryOp>().ToList();
        var binary = Ops(typeof(IBinaryOp)).Cast<IBinaryOp>().ToList();
        Assert.True(unary.Count >= 6 && binary.Count >= 8, $"found {unary.Count} unary and {binary.Count} binary ops");
        foreach (var op in unary) AssertSameBits(op.Apply, op.Apply, op.GetType().Name);
        // The other operand: the same 8 values in each half, so that lane j meets the same value at both widths.
        var other8 = Vector256.Create(-1.5f, 0f, 2f, 0.25f, -0f, 3f, -7f, 1e-3f);
        var other = Vector512.Create(other8, other8);
        foreach (var op in binary)
        {
            AssertSameBits(a => op.Apply(a, other), a => op.Apply(a, other8), op.GetType().Name + " (first operand)");
            AssertSameBits(b => op.Apply(other, b), b => op.Apply(other8, b), op.GetType().Name + " (second operand)");
        }
    }
}
