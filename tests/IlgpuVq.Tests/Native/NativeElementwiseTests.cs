using ILGPU;
using IlgpuVq.Engine.Devices;
using IlgpuVq.Engine.Memory;
using IlgpuVq.Engine.Ops;
using IlgpuVq.Engine.Tensors;
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
    static void Compare<TDelegate>(KernelSlot<TDelegate> slot, float[][] inputs, int outLength, Action<TDelegate, int, V[]> launch, bool approximate = false)
        where TDelegate : Delegate
    {
        float[][] Run(TDelegate k)
        {
            using var scope = new TensorScope();
            var views = inputs.Select(T).Append(T(new float[Math.Max(outLength, 1)])).ToArray();
            launch(k, outLength, views.Select(t => t.View).ToArray());
            return views.Select(t => t.ToArray()).ToArray();
        }
        var expected = Run(Pick(slot, native: false));
        var single = WithWorkers(1, () => Run(NativeOf(slot)));
        var dual = WithWorkers(2, () => Run(NativeOf(slot)));
        for (int i = 0; i < expected.Length; i++)
        {
            BitEqual(single[i], dual[i]);
            if (approximate) Close(expected[i], single[i], 2e-6f, 1e-5f);
            else BitEqual(expected[i], single[i]);
        }
    }

    static void Binary(KernelSlot<Action<Index1D, int, int, V, V, V>> slot, int n, float lo = -2f, float hi = 2f) =>
        Compare(slot, [Random(n, n, lo, hi), Random(n + 1, n, lo, hi)], n, (k, total, v) => k(First, total, 1, v[0], v[1], v[2]));

    static void Unary(KernelSlot<Action<Index1D, int, int, V, V>> slot, int n, float lo = -2f, float hi = 2f, bool approximate = false) =>
        Compare(slot, [Random(n, n, lo, hi)], n, (k, total, v) => k(First, total, 1, v[0], v[1]), approximate);

    [Theory, MemberData(nameof(SizeData))]
    public void ArithmeticIsBitIdentical(int n)
    {
        Binary(Elementwise.AddKernel, n);
        Binary(Elementwise.SubKernel, n);
        Binary(Elementwise.MulKernel, n);
        Compare(Elementwise.AddInPlaceKernel, [Random(n, n), Random(n + 2, n)], 0, (k, _, v) => k(First, n, 1, v[0], v[1]));
        Compare(Elementwise.ScaleKernel, [Random(n, n)], n, (k, total, v) => k(First, total, 1, v[0], 0.37f, v[1]));
        Compare(Elementwise.ScaleInPlaceKernel, [Random(n, n)], 0, (k, _, v) => k(First, n, 1, v[0], -1.3f));
        Compare(Elementwise.AddScalarKernel, [Random(n, n)], n, (k, total, v) => k(First, total, 1, v[0], 0.1f, v[1]));
        Compare(Elementwise.FillKernel, [], n, (k, total, v) => k(First, total, 1, v[0], 2.5f));
    }

    [Theory, MemberData(nameof(SizeData))]
    public void ActivationsMatchTheKernels(int n)
    {
        Unary(Elementwise.ReluKernel, n);
        Binary(Elementwise.ReluBackwardKernel, n);
        Unary(Elementwise.TanhKernel, n, -30f, 30f, approximate: true);
        Unary(Elementwise.TanhKernel, n, -0.7f, 0.7f, approximate: true); // the polynomial range and its edge
        Unary(Elementwise.SigmoidKernel, n, -100f, 100f, approximate: true);
        Binary(Elementwise.TanhBackwardKernel, n, -1f, 1f);
        Binary(Elementwise.SigmoidBackwardKernel, n, 0f, 1f);
    }

    [Fact]
    public void ReluOfNegativeZeroAndNaNIsPositiveZero()
    {
        float[] x = [-0f, float.NaN, -1f, 1f, float.PositiveInfinity, float.NegativeInfinity];
        Compare(Elementwise.ReluKernel, [x], x.Length, (k, total, v) => k(First, total, 1, v[0], v[1]));
    }

    [Theory, MemberData(nameof(SizeData))]
    public void PerChannelOpsMatchTheKernels(int n)
    {
        // (channels, inner) pairs whose planes straddle vectors and blocks: [N,C] rows (inner 1) and NCHW planes.
        foreach (var (channels, inner) in new[] { (1, 1), (3, 1), (19, 1), (3, 5), (2, 33), (4, 1021) })
        {
            Compare(Elementwise.BiasAddKernel, [Random(n, n), Random(7, channels)], n,
                (k, total, v) => k(First, total, 1, v[0], v[1], channels, inner, v[2]));
            int pairs = (n + channels * inner - 1) / (channels * inner);
            int outputs = pairs * channels * inner, inputs = 2 * outputs;
            Compare(Elementwise.GatedKernel, [Random(n, inputs, -25f, 25f)], outputs,
                (k, total, v) => k(First, total, 1, v[0], channels, inner, v[1]), approximate: true);
            Compare(Elementwise.GatedBackwardKernel,
                [Random(n, inputs, -25f, 25f), Random(n + 1, outputs)], inputs,
                (k, _, v) => k(First, outputs, 1, v[0], v[1], channels, inner, v[2]), approximate: true);
        }
    }

    [Theory, MemberData(nameof(SizeData))]
    public void MseBackwardIsBitIdentical(int n) =>
        Compare(Loss.BackwardKernel, [Random(n, n), Random(n + 1, n), [0.7f]], n,
            (k, total, v) => k(First, total, 1, v[0], v[1], v[2], 2f / n, v[3]));
}
