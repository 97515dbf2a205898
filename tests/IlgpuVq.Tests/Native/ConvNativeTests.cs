using ILGPU;
using IlgpuVq.Engine.Devices;
using IlgpuVq.Engine.Memory;
using IlgpuVq.Engine.Native;
using IlgpuVq.Engine.Tensors;
using IlgpuVq.Kernels;

namespace IlgpuVq.Tests.Native;

/// <summary>
/// Each native convolution / GEMM kernel against its ILGPU kernel method run directly on the host (thread 0, stride 1
/// covers every work item), on odd geometries: strides, asymmetric padding, batch 1, channel counts that are not multiples
/// of the tiles, batch chunks for the weight and bias gradients, and stride-1 geometries with fewer output than input channels
/// (whose input gradient runs as a forward convolution with the flipped kernel). Output buffers start as NaN, so unwritten elements fail.
/// </summary>
public class ConvNativeTests
{
    static readonly ComputeDevice Device = DeviceCatalog.Open("cpu");

    /// <summary>N, Cin, H, W, Cout, KH, KW, SH, SW, PT, PB, PL, PR.</summary>
    public static IEnumerable<object[]> Geometries() =>
    [
        [1, 3, 9, 11, 5, 3, 3, 1, 1, 1, 1, 1, 1],
        [2, 6, 9, 10, 7, 4, 4, 2, 2, 1, 1, 1, 1],
        [3, 17, 8, 13, 19, 3, 2, 2, 1, 0, 2, 1, 0],
        [1, 1, 5, 5, 1, 1, 1, 1, 1, 0, 0, 0, 0],
        [2, 20, 7, 6, 33, 1, 1, 1, 1, 0, 0, 0, 0],
        [3, 5, 12, 7, 6, 1, 1, 2, 3, 0, 1, 0, 2],
        [5, 9, 6, 6, 4, 5, 5, 1, 1, 2, 2, 2, 2],
        [2, 35, 16, 16, 18, 3, 3, 1, 1, 1, 1, 1, 1],
        [2, 5, 11, 70, 6, 4, 4, 2, 2, 1, 1, 1, 1],
        [1, 3, 9, 67, 4, 3, 3, 2, 2, 1, 0, 0, 2],
        [2, 12, 7, 9, 5, 3, 2, 1, 1, 0, 2, 1, 0],
        [2, 3, 9, 11, 64, 4, 4, 2, 2, 1, 1, 1, 1], // dw [64, 48] fills the tiles better as [48, 64]: computed transposed
    ];

    static Conv2dGeometry Geometry(int[] s)
    {
        var g = new Conv2dGeometry
        {
            N = s[0], Cin = s[1], H = s[2], W = s[3], Cout = s[4], KH = s[5], KW = s[6], SH = s[7], SW = s[8], PT = s[9], PL = s[11],
        };
        g.OH = (g.H + s[9] + s[10] - g.KH) / g.SH + 1;
        g.OW = (g.W + s[11] + s[12] - g.KW) / g.SW + 1;
        return g;
    }

    static Tensor Random(int seed, int length)
    {
        var rng = new Random(seed);
        return Tensor.FromArray(Device, Enumerable.Range(0, length).Select(_ => (float)(rng.NextDouble() * 2 - 1)).ToArray(), length);
    }

    static Tensor Poisoned(int length) => Tensor.FromArray(Device, Enumerable.Repeat(float.NaN, length).ToArray(), length);

    /// <summary>Runs <paramref name="kernel"/> and <paramref name="native"/> into fresh NaN buffers and compares them.</summary>
    static void Compare(string what, int outLength, Action<ArrayView<float>> kernel, Action<ArrayView<float>> native, bool exact = false)
    {
        var want = Poisoned(outLength);
        var got = Poisoned(outLength);
        kernel(want.View);
        native(got.View);
        var w = want.ToArray();
        var o = got.ToArray();
        for (int i = 0; i < w.Length; i++)
        {
            if (exact) Assert.True(BitConverter.SingleToInt32Bits(w[i]) == BitConverter.SingleToInt32Bits(o[i]), $"{what}[{i}]: {o[i]} vs kernel {w[i]}");
            else Assert.True(Math.Abs(w[i] - o[i]) <= 1e-4f * (1 + Math.Abs(w[i])), $"{what}[{i}]: {o[i]} vs kernel {w[i]}");
        }
    }

    [Theory]
    [MemberData(nameof(Geometries))]
    public void Conv2dNativesMatchKernels(int n, int cin, int h, int w, int cout, int kh, int kw, int sh, int sw, int pt, int pb, int pl, int pr)
    {
        var g = Geometry([n, cin, h, w, cout, kh, kw, sh, sw, pt, pb, pl, pr]);
        using var scope = new TensorScope();
        int xLen = g.N * g.Cin * g.H * g.W, yLen = g.N * g.Cout * g.OH * g.OW, wLen = g.Cout * g.Cin * g.KH * g.KW;
        var x = Random(1, xLen).View;
        var dy = Random(2, yLen).View;
        var weight = Random(3, wLen).View;
        var biasOut = Random(4, g.Cout).View;
        var biasIn = Random(5, g.Cin).View;
        var zero = new Index1D(0);

        int forward = Conv2dKernels.ForwardItems(g), inputGrad = Conv2dKernels.InputGradItems(g);
        foreach (int hasBias in new[] { 0, 1 })
        {
            Compare($"forward bias={hasBias}", yLen, y => Conv2dKernels.Forward(zero, forward, 1, x, weight, biasOut, y, g, hasBias),
                y => Conv2dNative.Forward(zero, forward, 1, x, weight, biasOut, y, g, hasBias));
            Compare($"input grad bias={hasBias}", xLen, d => Conv2dKernels.InputGrad(zero, inputGrad, 1, dy, weight, biasIn, dy, d, g, hasBias),
                d => Conv2dNative.InputGrad(zero, inputGrad, 1, dy, weight, biasIn, dy, d, g, hasBias));
        }

        int tiles = Conv2dKernels.WeightGradTiles(g);
        foreach (int per in new[] { g.N, 1, 2, 3 })
        {
            int chunks = Conv2dKernels.Tiles(g.N, per);
            Compare($"weight grad per={per}", chunks * wLen, d => Conv2dKernels.WeightGrad(zero, chunks * tiles, 1, dy, x, d, g, per),
                d => Conv2dNative.WeightGrad(zero, chunks * tiles, 1, dy, x, d, g, per));
            Compare($"bias grad per={per}", chunks * g.Cout,
                d => Conv2dKernels.BiasGrad(zero, chunks * g.Cout, 1, dy, d, g.N, g.Cout, g.OH * g.OW, per),
                d => Conv2dNative.BiasGrad(zero, chunks * g.Cout, 1, dy, d, g.N, g.Cout, g.OH * g.OW, per));
        }

        var partial = Random(6, 3 * wLen).View;
        Compare("sum chunks", wLen, d => Conv2dKernels.SumChunks(zero, wLen, 1, partial, d, 3, wLen),
            d => Conv2dNative.SumChunks(zero, wLen, 1, partial, d, 3, wLen), exact: true);
    }

    [Theory]
    [InlineData(1, 1, 1)]
    [InlineData(7, 17, 33)]
    [InlineData(65, 130, 33)]
    [InlineData(130, 9, 300)]
    public void GemmNativesMatchKernels(int m, int n, int k)
    {
        using var scope = new TensorScope();
        var a = Random(11, m * k).View;
        var b = Random(12, k * n).View;
        var zero = new Index1D(0);
        foreach (var ta in new[] { false, true })
            foreach (var tb in new[] { false, true })
            {
                int sam = ta ? 1 : k, sak = ta ? m : 1, sbk = tb ? 1 : n, sbn = tb ? k : 1;
                int tiles = Conv2dKernels.Tiles(m, 4) * Conv2dKernels.Tiles(n, 8);
                Compare($"tiled ta={ta} tb={tb}", m * n, c => GemmKernels.Tiled(zero, tiles, 1, a, b, c, m, n, k, sam, sak, sbk, sbn),
                    c => GemmNative.Tiled(zero, tiles, 1, a, b, c, m, n, k, sam, sak, sbk, sbn));
                Compare($"naive ta={ta} tb={tb}", m * n, c => GemmKernels.Naive(zero, m * n, 1, a, b, c, n, k, sam, sak, sbk, sbn),
                    c => GemmNative.Naive(zero, m * n, 1, a, b, c, n, k, sam, sak, sbk, sbn));
            }
    }

    /// <summary>Every native conv kernel gives the same bits with one worker and with two (batch ≥ and &lt; workers; a 4×4 stride-2
    /// first layer whose weight gradient is computed transposed).</summary>
    [Theory]
    [InlineData(1, 24, 40, 3, 1)]
    [InlineData(4, 24, 40, 3, 1)]
    [InlineData(3, 3, 64, 4, 2)]
    public void ConvNativesAreBitIdenticalForAnyWorkerCount(int batch, int cin, int cout, int kernel, int stride)
    {
        var g = Geometry([batch, cin, 12, 12, cout, kernel, kernel, stride, stride, 1, 1, 1, 1]);
        using var scope = new TensorScope();
        int xLen = g.N * g.Cin * g.H * g.W, yLen = g.N * g.Cout * g.OH * g.OW, wLen = g.Cout * g.Cin * g.KH * g.KW;
        var x = Random(13, xLen).View;
        var dy = Random(14, yLen).View;
        var weight = Random(15, wLen).View;
        var bias = Random(16, Math.Max(g.Cin, g.Cout)).View;
        var zero = new Index1D(0);
        int tiles = Conv2dKernels.WeightGradTiles(g);
        float[][] Run()
        {
            var y = Poisoned(yLen); var dx = Poisoned(xLen); var dw = Poisoned(wLen); var db = Poisoned(g.Cout);
            Conv2dNative.Forward(zero, 1, 1, x, weight, bias, y.View, g, 1);
            Conv2dNative.InputGrad(zero, 1, 1, dy, weight, bias, dy, dx.View, g, 1);
            Conv2dNative.WeightGrad(zero, tiles, 1, dy, x, dw.View, g, g.N);
            Conv2dNative.BiasGrad(zero, g.Cout, 1, dy, db.View, g.N, g.Cout, g.OH * g.OW, g.N);
            return [y.ToArray(), dx.ToArray(), dw.ToArray(), db.ToArray()];
        }
        int saved = NativeParallel.Workers;
        try
        {
            NativeParallel.Workers = 1;
            var one = Run();
            NativeParallel.Workers = 2;
            var two = Run();
            for (int i = 0; i < one.Length; i++) Assert.Equal(one[i], two[i]);
        }
        finally
        {
            NativeParallel.Workers = saved;
        }
    }

    /// <summary>
    /// The column matrix in chunks (<c>Conv2dNative.ChunkFloats</c>; one K slice of 256 rows per chunk in the forward, one
    /// input channel per chunk in the gradients) gives the same bits as in one piece, for batch 1 (the product parallel
    /// inside) and batch 3, strides 1 and 2.
    /// </summary>
    [Theory]
    [InlineData(1, 35, 16, 16, 18, 3, 1)]
    [InlineData(3, 35, 16, 16, 18, 3, 1)]
    [InlineData(3, 21, 11, 30, 6, 4, 2)]
    public void ChunkedColumnsGiveTheBitsOfOnePiece(int batch, int cin, int h, int w, int cout, int k, int stride)
    {
        var g = Geometry([batch, cin, h, w, cout, k, k, stride, stride, 1, 1, 1, 1]);
        using var scope = new TensorScope();
        int xLen = g.N * g.Cin * g.H * g.W, yLen = g.N * g.Cout * g.OH * g.OW, wLen = g.Cout * g.Cin * g.KH * g.KW;
        var x = Random(21, xLen).View;
        var dy = Random(22, yLen).View;
        var weight = Random(23, wLen).View;
        var zero = new Index1D(0);
        int tiles = Conv2dKernels.WeightGradTiles(g);
        float[][] Run(int chunkFloats)
        {
            int saved = Conv2dNative.ChunkFloats;
            Conv2dNative.ChunkFloats = chunkFloats;
            try
            {
                var y = Poisoned(yLen); var dx = Poisoned(xLen); var dw = Poisoned(wLen);
                Conv2dNative.Forward(zero, 1, 1, x, weight, weight, y.View, g, 0);
                Conv2dNative.InputGrad(zero, 1, 1, dy, weight, weight, dy, dx.View, g, 0);
                Conv2dNative.WeightGrad(zero, tiles, 1, dy, x, dw.View, g, g.N);
                return [y.ToArray(), dx.ToArray(), dw.ToArray()];
            }
            finally
            {
                Conv2dNative.ChunkFloats = saved;
            }
        }
        var whole = Run(int.MaxValue);
        var chunked = Run(1);
        for (int i = 0; i < whole.Length; i++)
            Assert.Equal(whole[i].Select(BitConverter.SingleToInt32Bits), chunked[i].Select(BitConverter.SingleToInt32Bits));
    }
}
