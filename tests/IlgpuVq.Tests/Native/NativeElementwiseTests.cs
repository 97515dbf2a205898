using ILGPU;
using IlgpuVq.Engine.Memory;
using IlgpuVq.Engine.Tensors;
using IlgpuVq.Kernels;
using static IlgpuVq.Tests.Native.NativeTestKit;
using V = ILGPU.ArrayView<float>;

namespace IlgpuVq.Tests.Native;

/// <summary>
/// The native elementwise kernels against their ILGPU kernel bodies run on the host (thread 0, stride 1 runs every
/// item): bit-identical outputs on odd sizes, for both worker counts — except tanh, sigmoid and the gated activation,
/// whose native versions use vector exp: within 2e-6 absolute + 1e-5 relative of the kernels (and bit-identical for 1 and
/// 2 workers).
/// </summary>
public class NativeElementwiseTests
{
    public static IEnumerable<object[]> SizeData => Sizes.Select(n => new object[] { n });

    static readonly Index1D First = new(0);

    /// <summary>Runs <paramref name="launch"/> once with the kernel and once (per worker count) with its native, each on
    /// fresh copies of <paramref name="inputs"/> and a zeroed output of <paramref name="outLength"/>; asserts equal bits
    /// in every buffer (inputs included: in-place kernels write them).</summary>
    static void Compare<TDelegate>(TDelegate kernel, float[][] inputs, int outLength, Action<TDelegate, int, V[]> launch, bool approximate = false)
        where TDelegate : Delegate
    {
        float[][] Run(TDelegate k)
        {
            using var scope = new TensorScope();
            var views = inputs.Select(T).Append(T(new float[Math.Max(outLength, 1)])).ToArray();
            launch(k, outLength, views.Select(t => t.View).ToArray());
            return views.Select(t => t.ToArray()).ToArray();
        }
        var expected = Run(kernel);
        var single = WithWorkers(1, () => Run(NativeOf(kernel)));
        var dual = WithWorkers(2, () => Run(NativeOf(kernel)));
        for (int i = 0; i < expected.Length; i++)
        {
            BitEqual(single[i], dual[i]);
            if (approximate) Close(expected[i], single[i], 2e-6f, 1e-5f);
            else BitEqual(expected[i], single[i]);
        }
    }

    static void Binary(Action<Index1D, int, int, V, V, V> kernel, int n, float lo = -2f, float hi = 2f) =>
        Compare(kernel, [Random(n, n, lo, hi), Random(n + 1, n, lo, hi)], n, (k, total, v) => k(First, total, 1, v[0], v[1], v[2]));

    static void Unary(Action<Index1D, int, int, V, V> kernel, int n, float lo = -2f, float hi = 2f, bool approximate = false) =>
        Compare(kernel, [Random(n, n, lo, hi)], n, (k, total, v) => k(First, total, 1, v[0], v[1]), approximate);

    [Theory, MemberData(nameof(SizeData))]
    public void ArithmeticIsBitIdentical(int n)
    {
        Binary(ElementwiseKernels.Add, n);
        Binary(ElementwiseKernels.Sub, n);
        Binary(ElementwiseKernels.Mul, n);
        Compare<Action<Index1D, int, int, V, V>>(ElementwiseKernels.AddInPlace, [Random(n, n), Random(n + 2, n)], 0, (k, _, v) => k(First, n, 1, v[0], v[1]));
        Compare<Action<Index1D, int, int, V, float, V>>(ElementwiseKernels.Scale, [Random(n, n)], n, (k, total, v) => k(First, total, 1, v[0], 0.37f, v[1]));
        Compare<Action<Index1D, int, int, V, float>>(ElementwiseKernels.ScaleInPlace, [Random(n, n)], 0, (k, _, v) => k(First, n, 1, v[0], -1.3f));
        Compare<Action<Index1D, int, int, V, float, V>>(ElementwiseKernels.AddScalar, [Random(n, n)], n, (k, total, v) => k(First, total, 1, v[0], 0.1f, v[1]));
        Compare<Action<Index1D, int, int, V, float>>(ElementwiseKernels.Fill, [], n, (k, total, v) => k(First, total, 1, v[0], 2.5f));
    }

    [Theory, MemberData(nameof(SizeData))]
    public void ActivationsMatchTheKernels(int n)
    {
        Unary(ElementwiseKernels.Relu, n);
        Binary(ElementwiseKernels.ReluBackward, n);
        Unary(ElementwiseKernels.Tanh, n, -30f, 30f, approximate: true);
        Unary(ElementwiseKernels.Tanh, n, -0.7f, 0.7f, approximate: true); // the polynomial range and its edge
        Unary(ElementwiseKernels.Sigmoid, n, -100f, 100f, approximate: true);
        Binary(ElementwiseKernels.TanhBackward, n, -1f, 1f);
        Binary(ElementwiseKernels.SigmoidBackward, n, 0f, 1f);
    }

    [Fact]
    public void ReluOfNegativeZeroAndNaNIsPositiveZero()
    {
        float[] x = [-0f, float.NaN, -1f, 1f, float.PositiveInfinity, float.NegativeInfinity];
        Compare<Action<Index1D, int, int, V, V>>(ElementwiseKernels.Relu, [x], x.Length, (k, total, v) => k(First, total, 1, v[0], v[1]));
    }

    [Theory, MemberData(nameof(SizeData))]
    public void PerChannelOpsMatchTheKernels(int n)
    {
        // (channels, inner) pairs whose planes straddle vectors and blocks: [N,C] rows (inner 1) and NCHW planes.
        foreach (var (channels, inner) in new[] { (1, 1), (3, 1), (19, 1), (3, 5), (2, 33), (4, 1021) })
        {
            Compare<Action<Index1D, int, int, V, V, int, int, V>>(ElementwiseKernels.BiasAdd, [Random(n, n), Random(7, channels)], n,
                (k, total, v) => k(First, total, 1, v[0], v[1], channels, inner, v[2]));
            int pairs = (n + channels * inner - 1) / (channels * inner);
            int outputs = pairs * channels * inner, inputs = 2 * outputs;
            Compare<Action<Index1D, int, int, V, int, int, V>>(ElementwiseKernels.GatedActivation, [Random(n, inputs, -25f, 25f)], outputs,
                (k, total, v) => k(First, total, 1, v[0], channels, inner, v[1]), approximate: true);
            Compare<Action<Index1D, int, int, V, V, int, int, V>>(ElementwiseKernels.GatedActivationBackward,
                [Random(n, inputs, -25f, 25f), Random(n + 1, outputs)], inputs,
                (k, _, v) => k(First, outputs, 1, v[0], v[1], channels, inner, v[2]), approximate: true);
        }
    }

    [Theory, MemberData(nameof(SizeData))]
    public void MseBackwardIsBitIdentical(int n) =>
        Compare<Action<Index1D, int, int, V, V, V, float, V>>(LossKernels.MseBackward, [Random(n, n), Random(n + 1, n), [0.7f]], n,
            (k, total, v) => k(First, total, 1, v[0], v[1], v[2], 2f / n, v[3]));
}
