using ILGPU;
using IlgpuVq.Checks;
using IlgpuVq.Checks.Reference;
using IlgpuVq.Engine.Devices;
using IlgpuVq.Engine.Memory;
using IlgpuVq.Engine.Native;
using IlgpuVq.Engine.Tensors;
using IlgpuVq.Kernels;

namespace IlgpuVq.Tests.Native;

/// <summary>
/// The native backend's Winograd paths (<see cref="Conv2dWinograd"/>: F(2×2, 3×3) for stride-1 3×3 convolutions, F(2×2, 2×3)
/// for 2×3 ones, F(2×2, 2×2) for the space-to-depth form of 4×4 stride-2 ones), forward,
/// input and weight gradients, against the im2col + GEMM path it replaces (<see cref="WinogradUse.Never"/> on this thread; <see cref="WinogradUse.Always"/> for the Winograd side, so that small
/// geometries take it too) and
/// against the double reference: odd sizes, batch 1 (the work split inside the image), asymmetric padding 0–2, widths of
/// 1–3 groups of 8 tiles with a tail, tile blocks cut across tile rows, channel counts that are not tile multiples.
/// </summary>
public class ConvWinogradTests
{
    static readonly ComputeDevice Device = DeviceCatalog.Open("cpu");

    /// <summary>N, Cin, H, W, Cout, PT, PB, PL, PR (3×3, stride 1).</summary>
    public static IEnumerable<object[]> Geometries() =>
    [
        [1, 9, 9, 11, 10, 1, 1, 1, 1],
        [2, 8, 7, 37, 12, 0, 2, 2, 0],
        [1, 10, 40, 33, 9, 2, 0, 1, 1],
        [3, 16, 5, 5, 8, 0, 0, 0, 0],
        [2, 35, 16, 16, 18, 1, 1, 1, 1],
        [2, 128, 16, 16, 32, 1, 1, 1, 1],
    ];

    static Conv2dGeometry Geometry(int n, int cin, int h, int w, int cout, int pt, int pb, int pl, int pr) => new()
    {
        N = n, Cin = cin, H = h, W = w, Cout = cout, KH = 3, KW = 3, SH = 1, SW = 1, PT = pt, PL = pl,
        OH = h + pt + pb - 2, OW = w + pl + pr - 2,
    };

    /// <summary>body() with <see cref="Conv2dWinograd.Use"/> set to <paramref name="use"/> on this thread, restored afterwards.</summary>
    static T WithWinograd<T>(WinogradUse use, Func<T> body)
    {
        var saved = Conv2dWinograd.Use;
        Conv2dWinograd.Use = use;
        try
        {
            return body();
        }
        finally
        {
            Conv2dWinograd.Use = saved;
        }
    }

    /// <summary>The native forward and input gradient (with bias) and weight gradient (all images in one chunk) of
    /// <paramref name="g"/>, with Winograd on or off on this thread.</summary>
    static (float[] Y, float[] Dx, float[] Dw) Run(Conv2dGeometry g, float[] x, float[] w, float[] dy, float[] biasOut, float[] biasIn, bool winograd) =>
        WithWinograd(winograd ? WinogradUse.Always : WinogradUse.Never, () =>
        {
            using var scope = new TensorScope();
            var y = Tensor.FromArray(Device, new float[dy.Length], dy.Length);
            var dx = Tensor.FromArray(Device, new float[x.Length], x.Length);
            var tx = Tensor.FromArray(Device, x, x.Length).View;
            var tw = Tensor.FromArray(Device, w, w.Length).View;
            var tdy = Tensor.FromArray(Device, dy, dy.Length).View;
            var zero = new Index1D(0);
            Conv2dNative.Forward(zero, 1, 1, tx, tw, Tensor.FromArray(Device, biasOut, biasOut.Length).View, y.View, g, 1);
            Conv2dNative.InputGrad(zero, 1, 1, tdy, tw, Tensor.FromArray(Device, biasIn, biasIn.Length).View, tdy, dx.View, g, 1);
            var dw = Tensor.FromArray(Device, new float[w.Length], w.Length);
            Conv2dNative.WeightGrad(zero, 1, 1, tdy, tx, dw.View, g, g.N);
            return (y.ToArray(), dx.ToArray(), dw.ToArray());
        });

    /// <summary>|a − e| ≤ tolerance·(1 + |e|) for every element.</summary>
    static void Close(string what, IReadOnlyList<double> expected, float[] actual, double tolerance)
    {
        Assert.Equal(expected.Count, actual.Length);
        for (int i = 0; i < actual.Length; i++)
            Assert.True(Math.Abs(actual[i] - expected[i]) <= tolerance * (1 + Math.Abs(expected[i])), $"{what}[{i}]: {actual[i]} vs {expected[i]}");
    }

    static double[] D(float[] a) => a.Select(v => (double)v).ToArray();

    [Theory]
    [MemberData(nameof(Geometries))]
    public void WinogradMatchesGemmAndTheReference(int n, int cin, int h, int w, int cout, int pt, int pb, int pl, int pr)
    {
        var g = Geometry(n, cin, h, w, cout, pt, pb, pl, pr);
        Assert.True(Conv2dWinograd.Supports(g), "the Winograd path must run this geometry");
        // F(2×2, 3×3) rounds differently from the direct sum: within 2e-5 relative of it (1e-6 seen at 128 channels).
        MatchesGemmAndTheReference(g, seed: 1, gemmTolerance: 2e-5);
    }

    /// <summary>
    /// The forward, input gradient and weight gradient of <paramref name="g"/> on the Winograd path against im2col + GEMM (within
    /// <paramref name="gemmTolerance"/> relative), and its forward within the 1e-4 the native kernels are held to of the double
    /// reference; inputs, weights, output gradient and both biases seeded from <paramref name="seed"/> on.
    /// </summary>
    static void MatchesGemmAndTheReference(Conv2dGeometry g, int seed, double gemmTolerance)
    {
        int xLen = g.N * g.Cin * g.H * g.W, yLen = g.N * g.Cout * g.OH * g.OW;
        float[] x = SeededValues.Uniform(seed, xLen), wt = SeededValues.Uniform(seed + 1, g.Cout * g.Cin * g.KH * g.KW);
        float[] dy = SeededValues.Uniform(seed + 2, yLen), bo = SeededValues.Uniform(seed + 3, g.Cout), bi = SeededValues.Uniform(seed + 4, g.Cin);

        var (yW, dxW, dwW) = Run(g, x, wt, dy, bo, bi, winograd: true);
        var (yG, dxG, dwG) = Run(g, x, wt, dy, bo, bi, winograd: false);
        Close("forward vs gemm", D(yG), yW, gemmTolerance);
        Close("input grad vs gemm", D(dxG), dxW, gemmTolerance);
        Close("weight grad vs gemm", D(dwG), dwW, gemmTolerance);
        // The bottom and right padding the output reads (rows and columns past it are never read).
        int pb = (g.OH - 1) * g.SH + g.KH - g.H - g.PT, pr = (g.OW - 1) * g.SW + g.KW - g.W - g.PL;
        Close("forward vs reference", Conv2dReference.Apply(D(x), D(wt), D(bo), g.N, g.Cin, g.H, g.W, g.Cout, g.KH, g.KW, g.SH, g.SW, g.PT, pb, g.PL, pr),
            yW, 1e-4);
    }

    /// <summary>N, Cin, H, W, Cout, PT, PB, PL, PR of 2×3 stride-1 convolutions (F(2×2, 2×3), the Gated PixelCNN's vertical
    /// stack at kernel 3: padding 1, 0, 1, 1): odd sizes, other paddings, batch 1, channel counts that are not tile multiples.</summary>
    public static IEnumerable<object[]> TwoByThreeGeometries() =>
    [
        [2, 64, 16, 16, 128, 1, 0, 1, 1],
        [1, 9, 7, 11, 10, 1, 0, 1, 1],
        [3, 8, 5, 19, 13, 0, 1, 2, 0],
        [1, 12, 9, 8, 8, 1, 1, 0, 2],
    ];

    [Theory]
    [MemberData(nameof(TwoByThreeGeometries))]
    public void TwoByThreeWinogradMatchesGemmAndTheReference(int n, int cin, int h, int w, int cout, int pt, int pb, int pl, int pr)
    {
        var g = new Conv2dGeometry
        {
            N = n, Cin = cin, H = h, W = w, Cout = cout, KH = 2, KW = 3, SH = 1, SW = 1, PT = pt, PL = pl,
            OH = h + pt + pb - 1, OW = w + pl + pr - 2,
        };
        Assert.True(Conv2dWinograd.Supports(g), "the Winograd path must run this geometry");
        MatchesGemmAndTheReference(g, seed: 11, gemmTolerance: 2e-5);
    }

    /// <summary>N, Cin, H, W, Cout, PB, PR of 4×4 stride-2 convolutions with padding 1 on the top and left, which run as the
    /// F(2×2, 2×2) Winograd convolution of their space-to-depth form, forward and weight gradient (<see cref="Conv2dSpaceToDepth"/>),
    /// and, where the bottom and right padding is 1 (an output of ⌊H/2⌋ × ⌊W/2⌋), the input gradient as the F(2×2, 2×2) convolution
    /// of dy into the phases of dx (<see cref="Conv2dDepthToSpace"/>; the others by im2col + GEMM, compared here too): odd and even
    /// sizes, bottom and right padding 0–2 (rows and columns no output reads), a 2 × 3 input, batch 1, 4·Cin from 8 up, channel
    /// counts that are not tile multiples, a 16 × 16 output.</summary>
    public static IEnumerable<object[]> SpaceToDepthGeometries() =>
    [
        [1, 2, 8, 10, 8, 1, 1],
        [1, 5, 11, 13, 9, 1, 1],
        [3, 7, 6, 15, 11, 1, 1],
        [2, 3, 9, 7, 13, 1, 0],
        [3, 9, 12, 17, 9, 2, 1],
        [1, 8, 7, 6, 10, 0, 2],
        [1, 10, 2, 3, 8, 2, 1],
        [2, 16, 32, 32, 32, 1, 1],
    ];

    [Theory]
    [MemberData(nameof(SpaceToDepthGeometries))]
    public void StrideTwoWinogradMatchesGemmAndTheReference(int n, int cin, int h, int w, int cout, int pb, int pr)
    {
        var g = new Conv2dGeometry
        {
            N = n, Cin = cin, H = h, W = w, Cout = cout, KH = 4, KW = 4, SH = 2, SW = 2, PT = 1, PL = 1,
            OH = (h + 1 + pb - 4) / 2 + 1, OW = (w + 1 + pr - 4) / 2 + 1,
        };
        Assert.True(Conv2dSpaceToDepth.Fits(g) && Conv2dWinograd.Supports(Conv2dSpaceToDepth.Reduced(g)), "the space-to-depth path must run this geometry");
        if (pb == 1 && pr == 1)
            Assert.True(Conv2dDepthToSpace.Fits(g) && Conv2dWinograd.Supports(Conv2dDepthToSpace.Reduced(g)), "the depth-to-space path must run its input gradient");
        // F(2×2, 2×2) only adds and subtracts in its transforms: within 1e-5 relative of the direct sums (measured below 1e-6).
        MatchesGemmAndTheReference(g, seed: 6, gemmTolerance: 1e-5);
    }

    /// <summary>By default (<see cref="WinogradUse.WhereFaster"/>) the ref model's 3×3 convolutions run Winograd forward, in the
    /// input gradient (whose transposed geometry is a forward one) and in the weight gradient, and so do its 4×4 stride-2 ones
    /// (forward and weight gradient by space-to-depth, input gradient by depth to space); the demo's 8 × 8 maps, the first layer's 3 channels and the
    /// classifier's 16-channel stage run im2col + GEMM.</summary>
    [Fact]
    public void WinogradRunsWhereItMeasuredFaster()
    {
        Assert.Equal(WinogradUse.WhereFaster, Conv2dWinograd.Use);
        foreach (var (cin, cout) in new[] { (128, 128), (128, 32), (64, 128) })
        {
            var g = Geometry(32, cin, 16, 16, cout, 1, 1, 1, 1);
            Assert.True(Conv2dWinograd.Applies(g));
            Assert.True(Conv2dWinograd.Applies(Geometry(32, cout, 16, 16, cin, 1, 1, 1, 1)));
            Assert.True(Conv2dWinograd.AppliesToWeightGradient(g));
        }
        Assert.False(Conv2dWinograd.Applies(Geometry(32, 64, 8, 8, 64, 1, 1, 1, 1)), "8 × 8 outputs: 16 tiles per image");
        Assert.False(Conv2dWinograd.Applies(Geometry(32, 16, 32, 32, 16, 1, 1, 1, 1)), "16 channels");
        Assert.False(Conv2dWinograd.Supports(Geometry(32, 3, 16, 16, 64, 1, 1, 1, 1)), "3 input channels: the transforms would cost more than they save");
        Assert.False(Conv2dWinograd.AppliesToWeightGradient(Geometry(32, 64, 8, 8, 16, 1, 1, 1, 1)));
        var down = new Conv2dGeometry { N = 32, Cin = 64, H = 32, W = 32, Cout = 128, KH = 4, KW = 4, SH = 2, SW = 2, PT = 1, PL = 1, OH = 16, OW = 16 };
        Assert.True(Conv2dSpaceToDepth.Fits(down) && Conv2dWinograd.Applies(Conv2dSpaceToDepth.Reduced(down)));
        Assert.True(Conv2dWinograd.AppliesToWeightGradient(Conv2dSpaceToDepth.Reduced(down)));
        Assert.True(Conv2dDepthToSpace.Fits(down) && Conv2dWinograd.Applies(Conv2dDepthToSpace.Reduced(down)), "the input gradient by depth to space");
        var first = down with { Cin = 3, H = 64, W = 64, Cout = 64, OH = 32, OW = 32 };
        Assert.False(Conv2dWinograd.Applies(Conv2dSpaceToDepth.Reduced(first)), "3 input channels: 12 in the space-to-depth form");
        var demo = down with { Cin = 32, H = 16, W = 16, Cout = 64, OH = 8, OW = 8 };
        Assert.False(Conv2dWinograd.Applies(Conv2dSpaceToDepth.Reduced(demo)), "the demo's 8 × 8 output");
        Assert.False(Conv2dWinograd.Applies(Conv2dDepthToSpace.Reduced(demo)), "the demo's 8 × 8 input gradient");
        // The decoder's last layer (conv_transpose2d 64 → 3) runs the input gradient of the first layer's geometry.
        Assert.False(Conv2dWinograd.Applies(Conv2dDepthToSpace.Reduced(first)), "the decoder's last layer: 12 phase channels");
    }

    /// <summary>The Winograd weight gradient of a batch in chunks (11 images, 4 per chunk: three chunks of 4, 4 and 3 images, each
    /// cut into as many groups, whose transformed gradients are summed before the one transform back): every chunk within 2e-5
    /// relative of im2col + GEMM, and the same bits with one worker and with two; 3×3 and 4×4 stride 2 (by space-to-depth).</summary>
    [Theory]
    [InlineData(3, 1)]
    [InlineData(4, 2)]
    public void ChunkedWinogradWeightGradientMatchesGemmForAnyWorkerCount(int kernel, int stride)
    {
        var g = new Conv2dGeometry
        {
            N = 11, Cin = 12, H = 10, W = 9, Cout = 10, KH = kernel, KW = kernel, SH = stride, SW = stride, PT = 1, PL = 1,
        };
        g = g with { OH = (g.H + 2 - kernel) / stride + 1, OW = (g.W + 2 - kernel) / stride + 1 };
        const int perChunk = 4;
        int chunks = (g.N + perChunk - 1) / perChunk, weights = g.Cout * g.Cin * kernel * kernel;
        float[] x = SeededValues.Uniform(31, g.N * g.Cin * g.H * g.W), dy = SeededValues.Uniform(32, g.N * g.Cout * g.OH * g.OW);
        float[] Run(WinogradUse use, int workers) => WithWinograd(use, () => NativeTestKit.WithWorkers(workers, () =>
        {
            using var scope = new TensorScope();
            var dw = Tensor.FromArray(Device, new float[chunks * weights], chunks * weights);
            Conv2dNative.WeightGrad(new Index1D(0), 1, 1, Tensor.FromArray(Device, dy, dy.Length).View, Tensor.FromArray(Device, x, x.Length).View,
                dw.View, g, perChunk);
            return dw.ToArray();
        }));
        var one = Run(WinogradUse.Always, 1);
        Assert.Equal(one, Run(WinogradUse.Always, 2));
        Close("chunked weight grad vs gemm", D(Run(WinogradUse.Never, 2)), one, 2e-5);
    }

    /// <summary>The conv2d and conv_transpose2d gradient checks (forward vs the double reference, gradients vs finite differences)
    /// with every supported geometry on the Winograd paths (3×3, 2×3, and 4×4 stride 2 by space-to-depth), so their small cases are
    /// checked as well as their agreement with GEMM.</summary>
    [Fact]
    public void ConvGradientChecksPassOnTheWinogradPath()
    {
        var cases = OpCatalog.All.Where(c => c.Op is "conv2d" or "conv_transpose2d").ToList();
        Assert.Contains(cases, c => c.Shapes.StartsWith("x[2,9,5,7] w[10,9,3,3]", StringComparison.Ordinal));
        Assert.Contains(cases, c => c.Shapes.StartsWith("x[1,8,3,4] w[8,9,4,4]", StringComparison.Ordinal));
        Assert.Contains(cases, c => c.Shapes.StartsWith("x[2,8,5,7] w[9,8,2,3]", StringComparison.Ordinal));
        foreach (var c in cases)
        {
            var result = WithWinograd(WinogradUse.Always, () => GradChecker.Run(Device, c));
            Assert.True(result.Passed, result.ToString());
        }
    }
}
