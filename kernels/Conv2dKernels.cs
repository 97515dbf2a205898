using ILGPU;
using static IlgpuVq.Kernels.GemmKernels;

namespace IlgpuVq.Kernels;

/// <summary>
/// Geometry of a 2-D convolution over NCHW float32 tensors: input x [N,Cin,H,W], weight [Cout,Cin,KH,KW],
/// output y [N,Cout,OH,OW] with y[n,co,oh,ow] = Σ_{ci,kh,kw} w[co,ci,kh,kw]·x[n,ci,oh·SH − PT + kh, ow·SW − PL + kw]
/// (out-of-range input positions read as zero). Only the top/left padding enters the index arithmetic; the
/// bottom/right padding is implied by OH/OW. With <see cref="ReluInput"/> ≠ 0 the convolution reads relu(x) = max(x, 0) in
/// place of x (conv2d of a ReLU, the ReLU fused into the reads of x: <see cref="Forward"/> and <see cref="WeightGrad"/>).
/// </summary>
public struct Conv2dGeometry
{
    public int N, Cin, H, W, Cout, OH, OW, KH, KW, SH, SW, PT, PL;
    /// <summary>1: every read of x is relu(x) (x &gt; 0 ? x : 0, as <see cref="ElementwiseKernels.Relu"/>); 0: x itself.</summary>
    public int ReluInput;

    /// <summary>A value v read from x: relu(v) when <see cref="ReluInput"/> ≠ 0, else v.</summary>
    public readonly float Read(float v) => ReluInput != 0 && !(v > 0f) ? 0f : v;

    /// <summary><see cref="Read(float)"/> of each lane.</summary>
    internal readonly GemmKernels.Row8 Read(GemmKernels.Row8 v) =>
        new(Read(v.V0), Read(v.V1), Read(v.V2), Read(v.V3), Read(v.V4), Read(v.V5), Read(v.V6), Read(v.V7));
}

/// <summary>
/// Convolution kernels, NCHW, weight [Cout,Cin,KH,KW] (see <see cref="Conv2dGeometry"/>). All are implicitly grouped
/// (<see cref="Index1D"/>) grid-stride loops over their work items (tiles; each tile still owned by one thread), free of atomics and loop in a fixed order, so results are bit-identical run to run.
/// <list type="bullet">
/// <item><see cref="Forward"/>: implicit GEMM ([Cout] × [Cin·KH·KW] times [Cin·KH·KW] × [N·OH·OW]) with a register tile of
/// 4 output channels × 8 consecutive output columns per thread: each input value loaded feeds 4 channels, each weight 8 pixels.</item>
/// <item><see cref="InputGrad"/>: dx as a gather: each thread owns 4 input channels × 8 consecutive input columns and sums the
/// output gradients that these pixels influenced (only the (kh,kw) taps that land on the stride grid contribute), so stride 2
/// needs no scatter. With the weight read as [Cin_t,Cout_t] this is also conv_transpose2d's forward.</item>
/// <item><see cref="WeightGrad"/>: one work item per 4 output channels × 4 input channels of one tap (kh,kw), summing over N,OH,OW;
/// when that gives too few threads for the device the batch is split into chunks whose partial sums
/// <see cref="SumChunks"/> adds in a fixed order.</item>
/// <item><see cref="BiasGrad"/>: one work item per channel (and batch chunk), summing over N and the spatial positions.</item>
/// </list>
/// </summary>
public static class Conv2dKernels
{
    /// <summary>Output channels per thread (forward) and input channels per thread (input gradient).</summary>
    public const int TileC = 4;
    /// <summary>Consecutive output (forward) or input (input gradient) columns per thread.</summary>
    public const int TileW = 8;
    /// <summary>Output-channel × input-channel tile of <see cref="WeightGrad"/>.</summary>
    public const int TileWeight = 4;

    /// <summary>
    /// y = conv(x, w) (+ bias[co] when <paramref name="hasBias"/> ≠ 0; <paramref name="bias"/> must then hold Cout values,
    /// otherwise any view). Thread t: column tile fastest, then oh, then channel tile, then n.
    /// Work items (<c>total</c>): N·ceil(Cout/4)·OH·ceil(OW/8).
    /// </summary>
    public static void Forward(Index1D thread, int total, int stride, ArrayView<float> x, ArrayView<float> w, ArrayView<float> bias, ArrayView<float> y,
        Conv2dGeometry g, int hasBias)
    {
        for (long item = thread; item < total; item += stride)
        {
            int t = (int)item;
            int tilesW = Tiles(g.OW, TileW), tilesC = Tiles(g.Cout, TileC);
            int r = t;
            int tw = r % tilesW; r /= tilesW;
            int oh = r % g.OH; r /= g.OH;
            int tc = r % tilesC; int n = r / tilesC;
            int co0 = tc * TileC, ow0 = tw * TileW;
            int khw = g.KH * g.KW, wStride = g.Cin * khw;
            int w0 = XClamp(co0, g.Cout) * wStride, w1 = XClamp(co0 + 1, g.Cout) * wStride;
            int w2 = XClamp(co0 + 2, g.Cout) * wStride, w3 = XClamp(co0 + 3, g.Cout) * wStride;
            int ihBase = oh * g.SH - g.PT, iwBase = ow0 * g.SW - g.PL;
            int hw = g.H * g.W;

            var c0 = new Row8(); var c1 = new Row8(); var c2 = new Row8(); var c3 = new Row8();
            for (int ci = 0; ci < g.Cin; ci++)
            {
                int xPlane = (n * g.Cin + ci) * hw, wc = ci * khw;
                for (int kh = 0; kh < g.KH; kh++)
                {
                    int ih = ihBase + kh;
                    if (ih < 0 || ih >= g.H) continue;
                    int xRow = xPlane + ih * g.W;
                    for (int kw = 0; kw < g.KW; kw++)
                    {
                        var xv = LoadRow(x, xRow, iwBase + kw, g.SW, g.W);
                        if (g.ReluInput != 0) xv = g.Read(xv);
                        int wk = wc + kh * g.KW + kw;
                        c0 = Row8.Fma(c0, w[w0 + wk], xv);
                        c1 = Row8.Fma(c1, w[w1 + wk], xv);
                        c2 = Row8.Fma(c2, w[w2 + wk], xv);
                        c3 = Row8.Fma(c3, w[w3 + wk], xv);
                    }
                }
            }
            int ohw = g.OH * g.OW, rowOff = oh * g.OW + ow0, left = g.OW - ow0;
            StoreChannel(y, c0, bias, hasBias, (n * g.Cout + co0) * ohw + rowOff, 1, left, co0, g.Cout);
            StoreChannel(y, c1, bias, hasBias, (n * g.Cout + co0 + 1) * ohw + rowOff, 1, left, co0 + 1, g.Cout);
            StoreChannel(y, c2, bias, hasBias, (n * g.Cout + co0 + 2) * ohw + rowOff, 1, left, co0 + 2, g.Cout);
            StoreChannel(y, c3, bias, hasBias, (n * g.Cout + co0 + 3) * ohw + rowOff, 1, left, co0 + 3, g.Cout);
        }
    }

    /// <summary>
    /// dx[n,ci,ih,iw] = Σ_{co,kh,kw} dy[n,co,oh,ow]·w[co,ci,kh,kw] over the (oh,ow) with oh·SH − PT + kh = ih and
    /// ow·SW − PL + kw = iw (+ bias[ci] when <paramref name="hasBias"/> ≠ 0, used by conv_transpose2d).
    /// A thread's 8 input columns are iw = r + (8q + j)·SW, j = 0..7, all in one residue class r mod SW: then the taps kw that
    /// reach them are the same for all 8 (kw ≡ r + PL mod SW) and hit 8 consecutive output columns, so a stride-2 gather
    /// wastes no work and needs no per-lane division. Rows likewise only visit kh ≡ ih + PT mod SH.
    /// Thread t: column tile fastest (residue r = tile mod SW, q = tile / SW), then ih, then channel tile (of Cin), then n.
    /// Work items (<c>total</c>): N·ceil(Cin/4)·H·SW·ceil(ceil(W/SW)/8). With <see cref="Conv2dGeometry.ReluInput"/> (the convolution
    /// of relu(x)) each dx is kept only where x &gt; 0, ReLU's backward (<paramref name="x"/> is any view otherwise).
    /// </summary>
    public static void InputGrad(Index1D thread, int total, int stride, ArrayView<float> dy, ArrayView<float> w, ArrayView<float> bias, ArrayView<float> x,
        ArrayView<float> dx, Conv2dGeometry g, int hasBias)
    {
        for (long item = thread; item < total; item += stride)
        {
            int t = (int)item;
            int tilesW = InputGradColumnTiles(g.W, g.SW), tilesC = Tiles(g.Cin, TileC);
            int r = t;
            int tw = r % tilesW; r /= tilesW;
            int ih = r % g.H; r /= g.H;
            int tc = r % tilesC; int n = r / tilesC;
            int res = tw % g.SW, q0 = (tw / g.SW) * TileW;
            int iw0 = res + q0 * g.SW;
            int ci0 = tc * TileC;
            int khw = g.KH * g.KW;
            int w0 = XClamp(ci0, g.Cin) * khw, w1 = XClamp(ci0 + 1, g.Cin) * khw;
            int w2 = XClamp(ci0 + 2, g.Cin) * khw, w3 = XClamp(ci0 + 3, g.Cin) * khw;
            int ohw = g.OH * g.OW, coStride = g.Cin * khw;
            int kh0 = (ih + g.PT) % g.SH, kw0 = (res + g.PL) % g.SW;

            var c0 = new Row8(); var c1 = new Row8(); var c2 = new Row8(); var c3 = new Row8();
            if (iw0 < g.W)
            {
                for (int co = 0; co < g.Cout; co++)
                {
                    int dyPlane = (n * g.Cout + co) * ohw, wc = co * coStride;
                    for (int kh = kh0; kh < g.KH; kh += g.SH)
                    {
                        int oh = (ih + g.PT - kh) / g.SH; // exact: kh ≡ ih + PT (mod SH)
                        if (oh < 0) break;             // larger kh only lower it
                        if (oh >= g.OH) continue;
                        int dyRow = dyPlane + oh * g.OW;
                        for (int kw = kw0; kw < g.KW; kw += g.SW)
                        {
                            var dv = LoadRow(dy, dyRow, (res + g.PL - kw) / g.SW + q0, 1, g.OW);
                            int wk = wc + kh * g.KW + kw;
                            c0 = Row8.Fma(c0, w[w0 + wk], dv);
                            c1 = Row8.Fma(c1, w[w1 + wk], dv);
                            c2 = Row8.Fma(c2, w[w2 + wk], dv);
                            c3 = Row8.Fma(c3, w[w3 + wk], dv);
                        }
                    }
                }
            }
            int hw = g.H * g.W, rowOff = ih * g.W + iw0;
            int left = (g.W - res + g.SW - 1) / g.SW - q0; // columns of this residue class from q0 on
            int o0 = (n * g.Cin + ci0) * hw + rowOff;
            if (g.ReluInput != 0)
            {
                c0 = MaskedByRelu(c0, x, o0, g.SW, left, ci0 < g.Cin);
                c1 = MaskedByRelu(c1, x, o0 + hw, g.SW, left, ci0 + 1 < g.Cin);
                c2 = MaskedByRelu(c2, x, o0 + 2 * hw, g.SW, left, ci0 + 2 < g.Cin);
                c3 = MaskedByRelu(c3, x, o0 + 3 * hw, g.SW, left, ci0 + 3 < g.Cin);
            }
            StoreChannel(dx, c0, bias, hasBias, o0, g.SW, left, ci0, g.Cin);
            StoreChannel(dx, c1, bias, hasBias, o0 + hw, g.SW, left, ci0 + 1, g.Cin);
            StoreChannel(dx, c2, bias, hasBias, o0 + 2 * hw, g.SW, left, ci0 + 2, g.Cin);
            StoreChannel(dx, c3, bias, hasBias, o0 + 3 * hw, g.SW, left, ci0 + 3, g.Cin);
        }
    }

    /// <summary>
    /// dw[co,ci,kh,kw] = Σ_{n,oh,ow} dy[n,co,oh,ow]·x[n,ci,oh·SH − PT + kh, ow·SW − PL + kw], optionally split over the batch
    /// for parallelism: chunk c sums batches [c·B, (c+1)·B) (B = <paramref name="batchesPerChunk"/>) into
    /// dw[c·Cout·Cin·KH·KW + ...]; <see cref="SumChunks"/> then adds the chunks in a fixed order (deterministic, no atomics).
    /// Thread t owns the tap (kh,kw) (fastest), then a tile of 4 input channels, then a tile of 4 output channels, then the chunk.
    /// Work items (<c>total</c>): chunks·ceil(Cout/4)·ceil(Cin/4)·KH·KW.
    /// </summary>
    public static void WeightGrad(Index1D thread, int total, int stride, ArrayView<float> dy, ArrayView<float> x, ArrayView<float> dw, Conv2dGeometry g,
        int batchesPerChunk)
    {
        for (long item = thread; item < total; item += stride)
        {
            int t = (int)item;
            int khw = g.KH * g.KW, tilesCi = Tiles(g.Cin, TileWeight), tilesCo = Tiles(g.Cout, TileWeight);
            int perChunk = tilesCo * tilesCi * khw;
            int chunk = t / perChunk;
            int r = t - chunk * perChunk;
            int tap = r % khw; r /= khw;
            int tci = r % tilesCi; int tco = r / tilesCi;
            int kh = tap / g.KW, kw = tap - kh * g.KW;
            int co0 = tco * TileWeight, ci0 = tci * TileWeight;
            int hw = g.H * g.W, ohw = g.OH * g.OW;
            int d0 = XClamp(co0, g.Cout) * ohw, d1 = XClamp(co0 + 1, g.Cout) * ohw, d2 = XClamp(co0 + 2, g.Cout) * ohw, d3 = XClamp(co0 + 3, g.Cout) * ohw;
            int x0 = XClamp(ci0, g.Cin) * hw, x1 = XClamp(ci0 + 1, g.Cin) * hw, x2 = XClamp(ci0 + 2, g.Cin) * hw, x3 = XClamp(ci0 + 3, g.Cin) * hw;

            var a0 = new Row4(); var a1 = new Row4(); var a2 = new Row4(); var a3 = new Row4();
            int nEnd = XMin(g.N, (chunk + 1) * batchesPerChunk);
            for (int n = chunk * batchesPerChunk; n < nEnd; n++)
            {
                int dyN = n * g.Cout * ohw, xN = n * g.Cin * hw;
                for (int oh = 0; oh < g.OH; oh++)
                {
                    int ih = oh * g.SH - g.PT + kh;
                    if (ih < 0 || ih >= g.H) continue;
                    int dyRow = dyN + oh * g.OW, xRow = xN + ih * g.W;
                    for (int ow = 0; ow < g.OW; ow++)
                    {
                        int iw = ow * g.SW - g.PL + kw;
                        if (iw < 0 || iw >= g.W) continue;
                        int di = dyRow + ow, xi = xRow + iw;
                        var xv = new Row4(g.Read(x[x0 + xi]), g.Read(x[x1 + xi]), g.Read(x[x2 + xi]), g.Read(x[x3 + xi]));
                        a0 = Row4.Fma(a0, dy[d0 + di], xv);
                        a1 = Row4.Fma(a1, dy[d1 + di], xv);
                        a2 = Row4.Fma(a2, dy[d2 + di], xv);
                        a3 = Row4.Fma(a3, dy[d3 + di], xv);
                    }
                }
            }
            int outOff = chunk * g.Cout * g.Cin * khw;
            StoreWeights(dw, a0, outOff, co0, ci0, tap, g);
            StoreWeights(dw, a1, outOff, co0 + 1, ci0, tap, g);
            StoreWeights(dw, a2, outOff, co0 + 2, ci0, tap, g);
            StoreWeights(dw, a3, outOff, co0 + 3, ci0, tap, g);
        }
    }

    /// <summary>
    /// db[c] = Σ_{n,p} dy[n,c,p] for dy [batch, channels, plane], split over the batch like <see cref="WeightGrad"/>: thread
    /// t = chunk·channels + c sums batches [chunk·B, (chunk+1)·B) into db[t]. Work items (<c>total</c>): chunks·channels.
    /// </summary>
    public static void BiasGrad(Index1D thread, int total, int stride, ArrayView<float> dy, ArrayView<float> db, int batch, int channels, int plane, int batchesPerChunk)
    {
        for (long item = thread; item < total; item += stride)
        {
            int t = (int)item;
            int chunk = t / channels, c = t - chunk * channels;
            int nEnd = XMin(batch, (chunk + 1) * batchesPerChunk);
            float sum = 0f;
            for (int n = chunk * batchesPerChunk; n < nEnd; n++)
            {
                int off = (n * channels + c) * plane;
                for (int p = 0; p < plane; p++) sum += dy[off + p];
            }
            db[t] = sum;
        }
    }

    /// <summary>y[i] = Σ_{c &lt; chunks} partial[c·length + i], in order of c (the second, fixed-order pass of a split sum).</summary>
    public static void SumChunks(Index1D thread, int total, int stride, ArrayView<float> partial, ArrayView<float> y, int chunks, int length)
    {
        for (long item = thread; item < total; item += stride)
        {
            int i = (int)item;
            float sum = 0f;
            for (int c = 0; c < chunks; c++) sum += partial[c * length + i];
            y[i] = sum;
        }
    }

    static int XMin(int a, int b) => a < b ? a : b;

    /// <summary>Eight values v[row + col + j·step] for j = 0..7, zero where the column is outside [0, width).</summary>
    static Row8 LoadRow(ArrayView<float> v, int row, int col, int step, int width) => new(
        Load(v, row, col, width), Load(v, row, col + step, width), Load(v, row, col + 2 * step, width), Load(v, row, col + 3 * step, width),
        Load(v, row, col + 4 * step, width), Load(v, row, col + 5 * step, width), Load(v, row, col + 6 * step, width), Load(v, row, col + 7 * step, width));

    static float Load(ArrayView<float> v, int row, int col, int width) => col >= 0 && col < width ? v[row + col] : 0f;

    /// <summary>Work items of <see cref="Forward"/> (the launch's <c>total</c>): N·ceil(Cout/4)·OH·ceil(OW/8).</summary>
    public static int ForwardItems(Conv2dGeometry g) => g.N * Tiles(g.Cout, TileC) * g.OH * Tiles(g.OW, TileW);

    /// <summary>Work items of <see cref="InputGrad"/>: N·ceil(Cin/4)·H·(column tiles, <see cref="InputGradColumnTiles"/>).</summary>
    public static int InputGradItems(Conv2dGeometry g) => g.N * Tiles(g.Cin, TileC) * g.H * InputGradColumnTiles(g.W, g.SW);

    /// <summary>Work items of <see cref="WeightGrad"/> per batch chunk: ceil(Cout/4)·ceil(Cin/4)·KH·KW.</summary>
    public static int WeightGradTiles(Conv2dGeometry g) => Tiles(g.Cout, TileWeight) * Tiles(g.Cin, TileWeight) * g.KH * g.KW;

    /// <summary>Column tiles per row of <see cref="InputGrad"/>: SW residue classes × ceil(ceil(W/SW)/8).</summary>
    static int InputGradColumnTiles(int w, int sw) => sw * Tiles(Tiles(w, sw), TileW);

    /// <summary>ceil(n / tile).</summary>
    public static int Tiles(int n, int tile) => (n + tile - 1) / tile;

    /// <summary>Lane j of v where x[offset + j·stride] &gt; 0, else 0, for the first min(8, count) lanes of a valid channel (the others
    /// are not stored, and x is not read there).</summary>
    static Row8 MaskedByRelu(Row8 v, ArrayView<float> x, int offset, int stride, int count, bool valid)
    {
        if (!valid) return v;
        if (count > 0 && !(x[offset] > 0f)) v.V0 = 0f;
        if (count > 1 && !(x[offset + stride] > 0f)) v.V1 = 0f;
        if (count > 2 && !(x[offset + 2 * stride] > 0f)) v.V2 = 0f;
        if (count > 3 && !(x[offset + 3 * stride] > 0f)) v.V3 = 0f;
        if (count > 4 && !(x[offset + 4 * stride] > 0f)) v.V4 = 0f;
        if (count > 5 && !(x[offset + 5 * stride] > 0f)) v.V5 = 0f;
        if (count > 6 && !(x[offset + 6 * stride] > 0f)) v.V6 = 0f;
        if (count > 7 && !(x[offset + 7 * stride] > 0f)) v.V7 = 0f;
        return v;
    }

    static void StoreChannel(ArrayView<float> y, Row8 v, ArrayView<float> bias, int hasBias, int offset, int stride, int count, int channel, int channels)
    {
        if (channel >= channels) return;
        float b = hasBias != 0 ? bias[channel] : 0f;
        v.V0 += b; v.V1 += b; v.V2 += b; v.V3 += b; v.V4 += b; v.V5 += b; v.V6 += b; v.V7 += b;
        v.Store(y, offset, stride, count, true);
    }

    static void StoreWeights(ArrayView<float> dw, Row4 v, int outOff, int co, int ci0, int tap, Conv2dGeometry g)
    {
        if (co >= g.Cout) return;
        int khw = g.KH * g.KW, baseIdx = outOff + (co * g.Cin + ci0) * khw + tap, left = g.Cin - ci0;
        if (left > 0) dw[baseIdx] = v.V0;
        if (left > 1) dw[baseIdx + khw] = v.V1;
        if (left > 2) dw[baseIdx + 2 * khw] = v.V2;
        if (left > 3) dw[baseIdx + 3 * khw] = v.V3;
    }

    /// <summary>Four floats: one register row of the weight-gradient tile.</summary>
    internal struct Row4(float v0, float v1, float v2, float v3)
    {
        public float V0 = v0, V1 = v1, V2 = v2, V3 = v3;

        public static Row4 Fma(Row4 acc, float s, Row4 x)
        {
            acc.V0 += s * x.V0; acc.V1 += s * x.V1; acc.V2 += s * x.V2; acc.V3 += s * x.V3;
            return acc;
        }
    }
}
