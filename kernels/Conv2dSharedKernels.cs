using ILGPU;

namespace IlgpuVq.Kernels;

/// <summary>
/// The GPU variants of <see cref="Conv2dKernels"/> (same <see cref="Conv2dGeometry"/>, NCHW, weight [Cout,Cin,KH,KW], same
/// results up to float summation order): explicitly grouped implicit GEMMs on the shared-memory block tile of
/// <see cref="SharedTiles"/> (4×4 outputs in registers per thread, blocks of up to 64 × 64, input and weight chunks of 16
/// staged through shared memory, double-buffered). The gathered operand (the im2col matrix) is never materialised: each
/// staged element decodes its (channel, tap) and (image, pixel) indices and reads zero outside the padded input.
/// <list type="bullet">
/// <item><see cref="Forward"/>: y[co, (n,oh,ow)] = Σ_{(ci,kh,kw)} w[co,(ci,kh,kw)]·x̂[(ci,kh,kw),(n,oh,ow)] (+ bias).</item>
/// <item><see cref="InputGrad"/>: dx[ci, (n,ih,iw)] = Σ_{(co,kh,kw)} w[co,ci,kh,kw]·dy[n,co,oh,ow] over the taps with
/// oh·SH − PT + kh = ih (likewise columns); with stride 2 three quarters of the staged dy values are structural zeros (the
/// register-tiled <see cref="Conv2dKernels.InputGrad"/> skips them; here they buy a dense, uniform tile). Also
/// conv_transpose2d's forward, with bias.</item>
/// <item><see cref="WeightGrad"/>: dw[co, (ci,kh,kw)] = Σ_{(n,oh,ow)} dy[n,co,oh,ow]·x̂[(ci,kh,kw),(n,oh,ow)], K split over
/// batch chunks exactly like <see cref="Conv2dKernels.WeightGrad"/> (partial sums added by <see cref="Conv2dKernels.SumChunks"/>).</item>
/// </list>
/// Launch with any number of groups of G threads, G a multiple of <c>gn</c>, G / gn ≤ 16, gn ≤ 16 (the ops take G from the accelerator).
/// </summary>
public static class Conv2dSharedKernels
{
    /// <summary>y = conv(x, w) (+ bias[co] when <paramref name="hasBias"/> ≠ 0).</summary>
    public static void Forward(ArrayView<float> x, ArrayView<float> w, ArrayView<float> bias, ArrayView<float> y, Conv2dGeometry g,
        int hasBias, int gn) =>
        SharedTiles.Run(new ForwardProduct(x, w, bias, y, g, hasBias), gn, 1, g.Cin * g.KH * g.KW);

    /// <summary>dx = the input gradient of conv(·, w) at dy (+ bias[ci] when <paramref name="hasBias"/> ≠ 0); with
    /// <see cref="Conv2dGeometry.ReluInput"/> kept only where x &gt; 0 (<paramref name="x"/> is any view otherwise).</summary>
    public static void InputGrad(ArrayView<float> dy, ArrayView<float> w, ArrayView<float> bias, ArrayView<float> x, ArrayView<float> dx, Conv2dGeometry g,
        int hasBias, int gn) =>
        SharedTiles.Run(new InputGradProduct(dy, w, bias, x, dx, g, hasBias), gn, 1, g.Cout * g.KH * g.KW);

    /// <summary>dw (or, with more than one batch chunk, the chunks' partial sums at dw[chunk·Cout·Cin·KH·KW + …]).</summary>
    public static void WeightGrad(ArrayView<float> dy, ArrayView<float> x, ArrayView<float> dw, Conv2dGeometry g, int batchesPerChunk, int gn) =>
        SharedTiles.Run(new WeightGradProduct(dy, x, dw, g), gn, (g.N + batchesPerChunk - 1) / batchesPerChunk, batchesPerChunk * g.OH * g.OW);

    /// <summary>The offset of [outer, c, inner] in an [·, channels, plane] array, for flat = outer·plane + inner (e.g. a pixel index
    /// (image, oh, ow) of channel c in NCHW, or a tap index (co, kh, kw) of input channel c in a weight [Cout, Cin, KH, KW]).</summary>
    static int Nchw(int flat, int plane, int channels, int c)
    {
        int outer = flat / plane;
        return (outer * channels + c) * plane + flat - outer * plane;
    }

    /// <summary>The im2col element (row, column) = x[n, ci, oh·SH − PT + kh, ow·SW − PL + kw] for row = (ci, kh, kw) and
    /// column = (n, oh, ow), zero in the padding (relu of it with <see cref="Conv2dGeometry.ReluInput"/>).</summary>
    static float Patch(ArrayView<float> x, Conv2dGeometry g, int row, int column)
    {
        int khw = g.KH * g.KW, ohw = g.OH * g.OW;
        int ci = row / khw, tap = row - ci * khw, kh = tap / g.KW, kw = tap - kh * g.KW;
        int image = column / ohw, pixel = column - image * ohw, oh = pixel / g.OW, ow = pixel - oh * g.OW;
        int ih = oh * g.SH - g.PT + kh, iw = ow * g.SW - g.PL + kw;
        return ih >= 0 && ih < g.H && iw >= 0 && iw < g.W ? g.Read(x[((image * g.Cin + ci) * g.H + ih) * g.W + iw]) : 0f;
    }

    readonly struct ForwardProduct(ArrayView<float> x, ArrayView<float> w, ArrayView<float> bias, ArrayView<float> y, Conv2dGeometry g, int hasBias)
        : ITiledProduct
    {
        readonly ArrayView<float> x = x, w = w, bias = bias, y = y;
        readonly Conv2dGeometry g = g;
        readonly int hasBias = hasBias;
        public int M => g.Cout;
        public int N => g.N * g.OH * g.OW;
        public int K => g.Cin * g.KH * g.KW;
        public bool AContiguousInK => true;
        public bool BContiguousInN => true;
        public float A(int co, int k) => w[co * K + k];

        public float B(int k, int p) => Patch(x, g, k, p);

        public void Store(int co, int p, int split, float value) =>
            y[Nchw(p, g.OH * g.OW, g.Cout, co)] = value + (hasBias != 0 ? bias[co] : 0f);
    }

    readonly struct InputGradProduct(ArrayView<float> dy, ArrayView<float> w, ArrayView<float> bias, ArrayView<float> x, ArrayView<float> dx, Conv2dGeometry g,
        int hasBias) : ITiledProduct
    {
        readonly ArrayView<float> dy = dy, w = w, bias = bias, x = x, dx = dx;
        readonly Conv2dGeometry g = g;
        readonly int hasBias = hasBias;
        public int M => g.Cin;
        public int N => g.N * g.H * g.W;
        public int K => g.Cout * g.KH * g.KW;
        /// <summary>w[co,ci,kh,kw] is contiguous along the taps of k = (co,kh,kw) unless the kernel is 1×1 (then along ci = m).</summary>
        public bool AContiguousInK => g.KH * g.KW > 1;
        public bool BContiguousInN => true;

        public float A(int ci, int k) => w[Nchw(k, g.KH * g.KW, g.Cin, ci)]; // k = (co, tap): w[co, ci, tap]

        public float B(int k, int p)
        {
            int khw = g.KH * g.KW, hw = g.H * g.W;
            int co = k / khw, tap = k - co * khw, kh = tap / g.KW, kw = tap - kh * g.KW;
            int image = p / hw, q = p - image * hw, ih = q / g.W, iw = q - ih * g.W;
            int rh = ih + g.PT - kh, rw = iw + g.PL - kw;
            if (rh < 0 || rw < 0) return 0f;
            int oh = rh / g.SH, ow = rw / g.SW;
            if (oh * g.SH != rh || ow * g.SW != rw || oh >= g.OH || ow >= g.OW) return 0f;
            return dy[((image * g.Cout + co) * g.OH + oh) * g.OW + ow];
        }

        public void Store(int ci, int p, int split, float value)
        {
            int i = Nchw(p, g.H * g.W, g.Cin, ci);
            dx[i] = g.ReluInput != 0 && !(x[i] > 0f) ? 0f : value + (hasBias != 0 ? bias[ci] : 0f);
        }
    }

    readonly struct WeightGradProduct(ArrayView<float> dy, ArrayView<float> x, ArrayView<float> dw, Conv2dGeometry g) : ITiledProduct
    {
        readonly ArrayView<float> dy = dy, x = x, dw = dw;
        readonly Conv2dGeometry g = g;
        public int M => g.Cout;
        public int N => g.Cin * g.KH * g.KW;
        public int K => g.N * g.OH * g.OW;
        public bool AContiguousInK => true;
        public bool BContiguousInN => false;

        public float A(int co, int k) => dy[Nchw(k, g.OH * g.OW, g.Cout, co)];

        public float B(int k, int j) => Patch(x, g, j, k);

        public void Store(int co, int j, int split, float value) => dw[(split * g.Cout + co) * N + j] = value;
    }
}
