using ILGPU;
using ILGPU.Runtime;
using IlgpuVq.Checks;
using IlgpuVq.Engine.Memory;
using IlgpuVq.Engine.Ops;
using IlgpuVq.Engine.Tensors;
using IlgpuVq.Kernels;

namespace IlgpuVq.Tests.Ops;

/// <summary>
/// The shared-memory block-tile kernels (<see cref="GemmKernels.SharedTiled"/>, <see cref="Conv2dSharedKernels"/>), which the ops
/// pick on CUDA and OpenCL, forced on both CPU simulator shapes (group 16 = 4 × 4 threads of 16 × 16 blocks on <c>cpu-sim</c>,
/// group 32 = 4 × 8 threads of 16 × 32 blocks on <c>cpu-sim:nvidia</c>): every gemm and convolution op check (forward vs the
/// double reference, gradients vs finite differences), and agreement with the register-tiled kernels on odd shapes that are
/// multiples of no tile, several blocks and K chunks, stride 2, asymmetric padding, batch 1.
/// </summary>
public class SharedTilingTests
{
    static readonly string[] Simulators = ["cpu-sim", "cpu-sim:nvidia"];
    static readonly string[] TiledOps = ["gemm", "conv2d", "conv_transpose2d", "masked_conv2d"];

    public static IEnumerable<object[]> Checks() =>
        from device in Simulators
        from c in OpCatalog.All
        where TiledOps.Contains(c.Op)
        select new object[] { device, c.Id };

    public static IEnumerable<object[]> Devices() => Simulators.Select(d => new object[] { d });

    [Theory]
    [MemberData(nameof(Checks))]
    public void OpChecksPassWithSharedTiles(string device, string caseId)
    {
        using var shared = SharedTiling.Force(true);
        var result = GradChecker.Run(TestDevices.Get(device), OpCatalog.Get(caseId));
        Assert.True(result.Passed, result.ToString());
    }

    [Fact]
    public void OpsPickSharedTilesOnlyOnGpusUnlessForced()
    {
        Assert.False(SharedTiling.Uses(TestDevices.Get("cpu-sim")));
        Assert.False(SharedTiling.Uses(TestDevices.Get("cpu")));
        using (SharedTiling.Force(true))
        {
            Assert.True(SharedTiling.Uses(TestDevices.Get("cpu-sim:nvidia")));
            Assert.False(SharedTiling.Uses(TestDevices.Get("cpu"))); // the native backend has no version of them
        }
        Assert.False(SharedTiling.Uses(TestDevices.Get("cpu-sim:nvidia")));
    }

    [Theory]
    [MemberData(nameof(Devices))]
    public void SharedGemmMatchesNaiveOnOddSizesAndEveryTranspose(string device)
    {
        var dev = TestDevices.Get(device);
        using var scope = new TensorScope();
        foreach (var (m, n, k) in new[] { (1, 1, 1), (37, 29, 41), (70, 135, 17), (5, 3, 100) })
            foreach (var ta in new[] { false, true })
                foreach (var tb in new[] { false, true })
                {
                    var a = Tensor.FromArray(dev, SeededValues.Uniform(5, m * k), ta ? [k, m] : [m, k]);
                    var b = Tensor.FromArray(dev, SeededValues.Uniform(6, k * n), tb ? [n, k] : [k, n]);
                    var naive = IlgpuVq.Checks.Variants.NaiveGemm.Apply(a, b, ta, tb).ToArray();
                    float[] shared;
                    using (SharedTiling.Force(true)) shared = Gemm.Apply(a, b, ta, tb).ToArray();
                    AssertClose(naive, shared, $"gemm {m}x{n}x{k} transA={ta} transB={tb}");
                }
    }

    [Theory]
    [MemberData(nameof(Devices))]
    public void SharedConvolutionsMatchRegisterTiles(string device)
    {
        // (n, cin, h, w, cout, k, stride, padding): non-multiples of every tile, 1×1, stride 2, padding, batch 1.
        foreach (var (n, cin, h, w, cout, k, s, p) in new[]
                 { (1, 1, 1, 1, 1, 1, 1, 0), (2, 3, 9, 11, 5, 3, 1, 1), (1, 17, 7, 6, 70, 4, 2, 1), (3, 5, 8, 8, 3, 1, 1, 0), (2, 6, 10, 9, 7, 4, 2, 2) })
            foreach (var transpose in new[] { false, true })
            {
                var regular = ConvAndGrads(device, n, cin, h, w, cout, k, s, p, transpose, shared: false);
                var shared = ConvAndGrads(device, n, cin, h, w, cout, k, s, p, transpose, shared: true);
                for (int i = 0; i < regular.Length; i++)
                    AssertClose(regular[i], shared[i], $"{(transpose ? "conv_transpose2d" : "conv2d")} n{n} c{cin}→{cout} {h}x{w} k{k} s{s} p{p} output {i}");
            }
    }

    /// <summary>The block tile is correct for any group shape G = gm × gn, not only the power-of-two ones the ops pick: the
    /// staging walk's carry (G not a multiple of the tile side), gm = 1, gn = 1, a non-power-of-two G. Launched directly.</summary>
    [Fact]
    public void SharedGemmIsCorrectForAnyGroupShape()
    {
        var dev = TestDevices.Get("cpu-sim");
        var kernel = dev.Accelerator.LoadStreamKernel<ArrayView<float>, ArrayView<float>, ArrayView<float>, int, int, int, int, int, int, int, int>(GemmKernels.SharedTiled);
        using var scope = new TensorScope();
        const int m = 23, n = 19, k = 37;
        var a = Tensor.FromArray(dev, SeededValues.Uniform(9, m * k), m, k);
        var b = Tensor.FromArray(dev, SeededValues.Uniform(10, k * n), n, k); // Bᵀ stored: B read with stride k along n
        var expected = IlgpuVq.Checks.Variants.NaiveGemm.Apply(a, b, false, true).ToArray();
        foreach (var (size, gn) in new[] { (1, 1), (2, 1), (2, 2), (4, 2), (8, 4), (8, 2), (12, 4), (16, 16), (16, 1), (6, 3) })
        {
            var c = Tensor.Empty(dev, m, n);
            kernel(new KernelConfig(3, size), a.View, b.View, c.View, m, n, k, k, 1, 1, k, gn);
            AssertClose(expected, c.ToArray(), $"gemm with groups of {size} = {size / gn}x{gn}");
        }
    }

    /// <summary>The weight gradient split over batch chunks (what a GPU does when the weight tiles alone do not fill it): the
    /// chunks' partial sums, added, equal the unsplit gradient. Launched directly, since the simulators never need a split.</summary>
    [Theory]
    [MemberData(nameof(Devices))]
    public void SharedWeightGradientChunksAddUpToTheWhole(string device)
    {
        var dev = TestDevices.Get(device);
        var g = new Conv2dGeometry { N = 3, Cin = 5, H = 7, W = 6, Cout = 9, OH = 4, OW = 3, KH = 3, KW = 3, SH = 2, SW = 2, PT = 1, PL = 1 };
        var kernel = dev.Accelerator.LoadStreamKernel<ArrayView<float>, ArrayView<float>, ArrayView<float>, Conv2dGeometry, int, int>(Conv2dSharedKernels.WeightGrad);
        using var scope = new TensorScope();
        var dy = Tensor.FromArray(dev, SeededValues.Uniform(7, g.N * g.Cout * g.OH * g.OW), g.N, g.Cout, g.OH, g.OW);
        var x = Tensor.FromArray(dev, SeededValues.Uniform(8, g.N * g.Cin * g.H * g.W), g.N, g.Cin, g.H, g.W);
        int taps = g.Cin * g.KH * g.KW, size = dev.GroupSize(GemmKernels.SharedMaxGroup), gn = size == 32 ? 8 : 4;
        var whole = Tensor.Empty(dev, g.Cout * taps);
        var parts = Tensor.Empty(dev, g.N * g.Cout * taps);
        kernel(new KernelConfig(2, size), dy.View, x.View, whole.View, g, g.N, gn);
        kernel(new KernelConfig(3, size), dy.View, x.View, parts.View, g, 1, gn);
        var sum = new float[g.Cout * taps];
        var p = parts.ToArray();
        for (int c = 0; c < g.N; c++)
            for (int i = 0; i < sum.Length; i++) sum[i] += p[c * sum.Length + i];
        AssertClose(whole.ToArray(), sum, "weight gradient chunks");
        Assert.Contains(sum, v => v != 0f);
    }

    static float[][] ConvAndGrads(string device, int n, int cin, int h, int w, int cout, int k, int s, int p, bool transpose, bool shared)
    {
        var dev = TestDevices.Get(device);
        using var scope = new TensorScope();
        using var choice = SharedTiling.Force(shared);
        var x = Tensor.FromArray(dev, SeededValues.Uniform(1, n * cin * h * w), n, cin, h, w);
        var wt = Tensor.FromArray(dev, SeededValues.Uniform(2, cin * cout * k * k), transpose ? [cin, cout, k, k] : [cout, cin, k, k]);
        var b = Tensor.FromArray(dev, SeededValues.Uniform(3, cout), cout);
        foreach (var t in new[] { x, wt, b }) t.RequiresGrad = true;
        var y = transpose ? ConvTranspose2d.Apply(x, wt, b, s, p, s > 1 ? 1 : 0) : Conv2d.Apply(x, wt, b, s, s, new Padding2d(p, p + 1, p, p));
        y.Backward(Tensor.FromArray(dev, SeededValues.Uniform(4, y.Length), y.Shape));
        var result = new[] { y.ToArray(), x.Grad!.ToArray(), wt.Grad!.ToArray(), b.Grad!.ToArray() };
        foreach (var t in new[] { x, wt, b }) t.Dispose();
        return result;
    }

    /// <summary>|a − e| ≤ 1e-5 + 1e-4·max(|a|, |e|): the two kernels differ only in float summation order.</summary>
    static void AssertClose(float[] expected, float[] actual, string what)
    {
        Assert.Equal(expected.Length, actual.Length);
        var tolerance = new Tolerance(1e-5, 1e-4);
        for (int i = 0; i < expected.Length; i++)
            Assert.True(tolerance.Accepts(actual[i], expected[i]), $"{what}[{i}]: {actual[i]} vs {expected[i]}");
    }

}
