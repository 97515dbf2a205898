using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using IlgpuVq.Kernels;

namespace IlgpuVq.Engine.Native;

/// <summary>
/// The input, output and output-gradient transforms of every <see cref="WinogradTiles"/> shape (and the G matrices of its
/// kernel transforms, <see cref="WinogradKernels"/>), one axis at a time: along a row (width) and down the columns (height),
/// each axis either F(2, 3) (α = 4: Bᵀ = [1 0 −1 0; 0 1 1 0; 0 −1 1 0; 0 1 0 −1], Aᵀ = [1 1 1 0; 0 1 −1 −1]) or F(2, 2)
/// (α = 3: Bᵀ = [1 −1 0; 0 1 0; 0 −1 1], Aᵀ = [1 1 0; 0 1 1]). Positions are ξ = α_w·i + j (i down the tile, j along it);
/// 8 tiles of a tile row at a time.
/// </summary>
internal static unsafe class WinogradPasses
{
    /// <summary>F(2, 3)'s kernel transform G [4, 3] (row-major): [1 0 0; ½ ½ ½; ½ −½ ½; 0 0 1], exact in float.</summary>
    public static readonly float[] G3 = [1, 0, 0, 0.5f, 0.5f, 0.5f, 0.5f, -0.5f, 0.5f, 0, 0, 1];

    /// <summary>F(2, 2)'s kernel transform G [3, 2] (row-major): [1 0; 1 1; 0 1].</summary>
    public static readonly float[] G2 = [1, 0, 1, 1, 0, 1];

    /// <summary>
    /// V = B_hᵀ d B_w for tile rows [ty0, ty0 + rows) of one input channel xc [H, W]: position ξ of tile t at v[ξ·step + t].
    /// Tile tx reads d = (x[r, 2tx − PL], …, x[r, 2tx − PL + 3]) along input row r (the first α_w of them, zero outside the
    /// image), and d B_w is α_w vector sums over 8 tiles (<see cref="RowTransforms"/>; <see cref="InputInRegisters"/> with AVX2 or AVX-512); B_hᵀ then
    /// combines α_h such rows.
    /// </summary>
    public static void Input(float* xc, float* v, long step, in Conv2dGeometry g, int ty0, int rows, int alphaH, int alphaW)
    {
        if (Use256) InputInRegisters(xc, v, step, g, ty0, rows, alphaH, alphaW);
        else InputBuffered(xc, v, step, g, ty0, rows, alphaH, alphaW);
    }

    /// <summary><see cref="Input"/> through a row buffer (<see cref="RowTransforms"/>): the portable path, and what the register
    /// forms must equal bit for bit (the tests compare them).</summary>
    internal static void InputBuffered(float* xc, float* v, long step, in Conv2dGeometry g, int ty0, int rows, int alphaH, int alphaW)
    {
        int tw = (g.OW + 1) / 2, lanes = (tw + 7) / 8 * 8;
        int inRows = 2 * rows + alphaH - 2;
        float* h = NativeScratch.Get(ScratchSlot.WinogradRows, (long)inRows * alphaW * lanes + 2L * inRows * (lanes + 8));
        RowTransforms(xc, h, g, ty0, inRows, lanes, alphaW);
        long rowStride = (long)alphaW * lanes;
        for (int ty = 0; ty < rows; ty++)
            for (int col = 0; col < alphaW; col++)
            {
                float* r0 = h + 2 * ty * rowStride + col * lanes;
                for (int j = 0; j < tw; j += 8)
                {
                    var d0 = Vector256.Load(r0 + j);
                    var d1 = Vector256.Load(r0 + rowStride + j);
                    var d2 = Vector256.Load(r0 + 2 * rowStride + j);
                    var d3 = alphaH == 4 ? Vector256.Load(r0 + 3 * rowStride + j) : default;
                    StoreColumn(d0, d1, d2, d3, v + (long)ty * tw + j + col * step, alphaW * step, Math.Min(8, tw - j), alphaH);
                }
            }
    }

    static readonly bool Use512 = NativeIsa.Use512;
    /// <summary>The register forms of the transforms (AVX2 or AVX-512); the portable path keeps the buffered ones.</summary>
    static readonly bool Use256 = NativeIsa.Path != SimdPath.Portable;

    /// <summary>The row transforms d B_w of the input rows 2·ty0 − PT … (inRows of them) of channel xc into h [inRows][α_w][lanes]
    /// (zero for rows outside the image), through the column split P, Q (<see cref="Conv2dWinograd.SplitColumns"/>), which
    /// follows h. All rows are split before any is transformed, so that the loads of P[j + 1] do not wait on the split's
    /// stores still in flight.</summary>
    static void RowTransforms(float* xc, float* h, in Conv2dGeometry g, int ty0, int inRows, int lanes, int alphaW)
    {
        int split = lanes + 8;
        float* pq = h + (long)inRows * alphaW * lanes;
        for (int ir = 0; ir < inRows; ir++)
        {
            int r = 2 * ty0 + ir - g.PT;
            float* p = pq + 2L * ir * split;
            if (r >= 0 && r < g.H) Conv2dWinograd.SplitColumns(xc + (long)r * g.W, g.W, -g.PL, p, p + split, split, g.ReluInput != 0);
        }
        for (int ir = 0; ir < inRows; ir++)
        {
            int r = 2 * ty0 + ir - g.PT;
            float* hr = h + (long)ir * alphaW * lanes, p = pq + 2L * ir * split, q = p + split;
            if (r < 0 || r >= g.H)
            {
                new Span<float>(hr, alphaW * lanes).Clear();
                continue;
            }
            for (int j = 0; j < lanes; j += 8)
            {
                var p0 = Vector256.Load(p + j);
                var p1 = Vector256.Load(p + j + 1);
                var q0 = Vector256.Load(q + j);
                var q1 = alphaW == 4 ? Vector256.Load(q + j + 1) : default;
                StoreRowTransform(p0, q0, p1, q1, hr + j, lanes, alphaW);
            }
        }
    }

    /// <summary>
    /// <see cref="Input"/> with no row buffer (AVX2 or AVX-512), one compiled form per shape and input op
    /// (<see cref="InputInRegisters{TH, TW, TLoad}"/>).
    /// </summary>
    static void InputInRegisters(float* xc, float* v, long step, in Conv2dGeometry g, int ty0, int rows, int alphaH, int alphaW)
    {
        if (g.ReluInput != 0) InputInRegisters<Rectified>(xc, v, step, g, ty0, rows, alphaH, alphaW);
        else InputInRegisters<Unchanged>(xc, v, step, g, ty0, rows, alphaH, alphaW);
    }

    static void InputInRegisters<TLoad>(float* xc, float* v, long step, in Conv2dGeometry g, int ty0, int rows, int alphaH, int alphaW)
        where TLoad : struct, IUnaryOp
    {
        switch (alphaH, alphaW)
        {
            case (4, 4): InputInRegisters<Alpha4, Alpha4, TLoad>(xc, v, step, g, ty0, rows); break;
            case (3, 3): InputInRegisters<Alpha3, Alpha3, TLoad>(xc, v, step, g, ty0, rows); break;
            default: InputInRegisters<Alpha3, Alpha4, TLoad>(xc, v, step, g, ty0, rows); break; // 2 × 3 (the prior's vertical stack)
        }
    }

    /// <summary>
    /// Down each block of 8 tiles, a window of the row transforms of four input rows a, b, c, d stays in registers (two more
    /// per tile row, the other two carried over), each row's columns loaded masked (zero outside the row, masks once per block),
    /// passed through <typeparamref name="TLoad"/> and split into d0 … d3 in registers (<see cref="RowTransform"/>). Bᵀ down
    /// the columns is stored as soon as its rows are in: rows 0 … 2 once c is (a − c, b + c, c − b; for α_h = 3, a − b, b,
    /// c − b), row 3 once d is (b − d), so at most three row transforms are live at a time — the loop keeps its values in
    /// registers (16 ymm on AVX2) and never stores to the stack, where a spill can alias the rows it streams by their address
    /// modulo 4 KiB and stall every load (measured: 2× on Zen 4). The same arithmetic as the buffered form, so the same bits.
    /// </summary>
    static void InputInRegisters<TH, TW, TLoad>(float* xc, float* v, long step, in Conv2dGeometry g, int ty0, int rows)
        where TH : struct, IAlpha where TW : struct, IAlpha where TLoad : struct, IUnaryOp
    {
        int tw = (g.OW + 1) / 2, height = g.H, width = g.W;
        long next = TW.Value * step;
        for (int j = 0; j < tw; j += 8)
        {
            int first = 2 * j - g.PL, count = Math.Min(8, tw - j), r = 2 * ty0 - g.PT;
            float* columns = xc + first;
            var lo = Use512 ? Conv2dWinograd.ColumnMask512(first, width) : default;
            var hi = Use512 ? Conv2dWinograd.ColumnMask512(first + 16, width) : default;
            var m0 = Use512 ? default : Conv2dWinograd.ColumnMask256(first, width);
            var m8 = Use512 ? default : Conv2dWinograd.ColumnMask256(first + 8, width);
            var m2 = Use512 ? default : Conv2dWinograd.ColumnMask256(first + 2, width);
            var m10 = Use512 ? default : Conv2dWinograd.ColumnMask256(first + 10, width);
            RowTransform<TW, TLoad>(columns, r, height, width, lo, hi, m0, m8, m2, m10, out var a0, out var a1, out var a2, out var a3);
            RowTransform<TW, TLoad>(columns, r + 1, height, width, lo, hi, m0, m8, m2, m10, out var b0, out var b1, out var b2, out var b3);
            for (int ty = 0; ty < rows; ty++)
            {
                int top = r + 2 * ty;
                float* dst = v + (long)ty * tw + j;
                RowTransform<TW, TLoad>(columns, top + 2, height, width, lo, hi, m0, m8, m2, m10, out var c0, out var c1, out var c2, out var c3);
                StoreHead<TH>(a0, b0, c0, dst, next, count);
                StoreHead<TH>(a1, b1, c1, dst + step, next, count);
                StoreHead<TH>(a2, b2, c2, dst + 2 * step, next, count);
                if (TW.Value == 4) StoreHead<TH>(a3, b3, c3, dst + 3 * step, next, count);
                RowTransform<TW, TLoad>(columns, top + 3, height, width, lo, hi, m0, m8, m2, m10, out var d0, out var d1, out var d2, out var d3);
                if (TH.Value == 4)
                {
                    float* last = dst + 3 * next;
                    StoreLast(a0, b0, c0, d0, last, count);
                    StoreLast(a1, b1, c1, d1, last + step, count);
                    StoreLast(a2, b2, c2, d2, last + 2 * step, count);
                    if (TW.Value == 4) StoreLast(a3, b3, c3, d3, last + 3 * step, count);
                }
                (a0, a1, a2, a3, b0, b1, b2, b3) = (c0, c1, c2, c3, d0, d1, d2, d3);
            }
        }
    }

    /// <summary>Rows 0 … 2 of <see cref="InputAxis"/> down one column of a tile from its first three row transforms a, b, c
    /// (the fourth is not needed for them), to dst + i·next.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    static void StoreHead<TH>(Vector256<float> a, Vector256<float> b, Vector256<float> c, float* dst, long next, int count)
        where TH : struct, IAlpha
    {
        InputAxis(a, b, c, default, TH.Value, out var t0, out var t1, out var t2, out _);
        Conv2dWinograd.StoreTiles(t0, dst, count);
        Conv2dWinograd.StoreTiles(t1, dst + next, count);
        Conv2dWinograd.StoreTiles(t2, dst + 2 * next, count);
    }

    /// <summary>Row 3 of <see cref="InputAxis"/> (α = 4) down one column of a tile, to dst.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    static void StoreLast(Vector256<float> a, Vector256<float> b, Vector256<float> c, Vector256<float> d, float* dst, int count)
    {
        InputAxis(a, b, c, d, 4, out _, out _, out _, out var t3);
        Conv2dWinograd.StoreTiles(t3, dst, count);
    }

    /// <summary>The row transform d B_w of 8 tiles along input row r of the columns from <paramref name="columns"/> (zero
    /// outside the image), each load through <typeparamref name="TLoad"/> (<see cref="Rectified"/>: one vmaxps): on AVX-512
    /// two masked 512-bit loads of 32 columns (<paramref name="lo"/>, <paramref name="hi"/>) and one two-register permute per
    /// d_k; on AVX2 masked 256-bit loads of columns 0 … 15 (d0, d1) and 2 … 17 (d2, d3), each pair split by shuffles.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    static void RowTransform<TW, TLoad>(float* columns, int r, int height, int width, Vector512<float> lo, Vector512<float> hi,
        Vector256<float> m0, Vector256<float> m8, Vector256<float> m2, Vector256<float> m10,
        out Vector256<float> t0, out Vector256<float> t1, out Vector256<float> t2, out Vector256<float> t3)
        where TW : struct, IAlpha where TLoad : struct, IUnaryOp
    {
        if ((uint)r >= (uint)height)
        {
            t0 = t1 = t2 = t3 = default;
            return;
        }
        float* row = columns + (long)r * width;
        TLoad op = default;
        Vector256<float> d0, d1, d2, d3;
        if (Use512)
        {
            var l = op.Apply(Avx512F.MaskLoad(row, lo, Vector512<float>.Zero));
            var h = op.Apply(Avx512F.MaskLoad(row + 16, hi, Vector512<float>.Zero));
            d0 = Avx512F.PermuteVar16x32x2(l, Conv2dWinograd.Take0, h).GetLower();
            d1 = Avx512F.PermuteVar16x32x2(l, Conv2dWinograd.Take1, h).GetLower();
            d2 = Avx512F.PermuteVar16x32x2(l, Conv2dWinograd.Take2, h).GetLower();
            d3 = TW.Value == 4 ? Avx512F.PermuteVar16x32x2(l, Conv2dWinograd.Take3, h).GetLower() : default;
        }
        else
        {
            Conv2dWinograd.SplitPair(op.Apply(Avx.MaskLoad(row, m0)), op.Apply(Avx.MaskLoad(row + 8, m8)), out d0, out d1);
            Conv2dWinograd.SplitPair(op.Apply(Avx.MaskLoad(row + 2, m2)), op.Apply(Avx.MaskLoad(row + 10, m10)), out d2, out d3);
        }
        InputAxis(d0, d1, d2, d3, TW.Value, out t0, out t1, out t2, out t3);
    }

    /// <summary>α of one transform axis as a JIT-time constant (4 for F(2, 3), 3 for F(2, 2)), so that each shape's register
    /// passes compile to straight-line code.</summary>
    interface IAlpha
    {
        static abstract int Value { get; }
    }

    readonly struct Alpha3 : IAlpha
    {
        public static int Value => 3;
    }

    readonly struct Alpha4 : IAlpha
    {
        public static int Value => 4;
    }

    /// <summary><see cref="OutputGradient"/> with no row buffer (AVX2 or AVX-512): each block of 8 tiles of a tile row takes its
    /// two output-gradient rows in masked loads (one of 512 bits, or two of 256; masks once per block), splits their even and
    /// odd columns in registers and transforms them along the row and down the columns there. The same arithmetic, so the
    /// same bits.</summary>
    static void OutputGradientInRegisters(float* dyk, float* m, long step, in Conv2dGeometry g, int ty0, int rows, int alphaH, int alphaW)
    {
        int tw = (g.OW + 1) / 2;
        long next = alphaW * step;
        for (int j = 0; j < tw; j += 8)
        {
            int count = Math.Min(8, tw - j);
            var mask = Use512 ? Conv2dWinograd.ColumnMask512(2 * j, g.OW) : default;
            var lo = Use512 ? default : Conv2dWinograd.ColumnMask256(2 * j, g.OW);
            var hi = Use512 ? default : Conv2dWinograd.ColumnMask256(2 * j + 8, g.OW);
            for (int ty = 0; ty < rows; ty++)
            {
                int oy = 2 * (ty0 + ty);
                GradientRow(dyk, oy, g, 2 * j, mask, lo, hi, alphaW, out var a0, out var a1, out var a2, out var a3);
                GradientRow(dyk, oy + 1, g, 2 * j, mask, lo, hi, alphaW, out var b0, out var b1, out var b2, out var b3);
                float* dst = m + (long)ty * tw + j;
                StoreGradientColumn(a0, b0, dst, next, count, alphaH);
                StoreGradientColumn(a1, b1, dst + step, next, count, alphaH);
                StoreGradientColumn(a2, b2, dst + 2 * step, next, count, alphaH);
                if (alphaW == 4) StoreGradientColumn(a3, b3, dst + 3 * step, next, count, alphaH);
            }
        }
    }

    /// <summary>Row oy of dY (zero past the bottom) at the 16 columns from c0 (load masks: one of 16 lanes, or lo and hi of 8),
    /// <see cref="GradientAxis"/> of its even and odd columns along the row.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    static void GradientRow(float* dyk, int oy, in Conv2dGeometry g, int c0, Vector512<float> mask, Vector256<float> lo, Vector256<float> hi,
        int alphaW, out Vector256<float> t0, out Vector256<float> t1, out Vector256<float> t2, out Vector256<float> t3)
    {
        if (oy >= g.OH)
        {
            t0 = t1 = t2 = t3 = default;
            return;
        }
        float* row = dyk + (long)oy * g.OW + c0;
        Vector256<float> e0, e1;
        if (Use512)
        {
            var x = Avx512F.MaskLoad(row, mask, Vector512<float>.Zero);
            e0 = Avx512F.PermuteVar16x32(x, Conv2dWinograd.Take0).GetLower();
            e1 = Avx512F.PermuteVar16x32(x, Conv2dWinograd.Take1).GetLower();
        }
        else Conv2dWinograd.SplitPair(Avx.MaskLoad(row, lo), Avx.MaskLoad(row + 8, hi), out e0, out e1);
        GradientAxis(e0, e1, alphaW, out t0, out t1, out t2, out t3);
    }

    /// <summary>Bᵀ along one axis of α values (d0 … d3, d3 unused for α = 3): d0 − d2, d1 + d2, d2 − d1, d1 − d3 for F(2, 3) and
    /// d0 − d1, d1, d2 − d1 for F(2, 2). The input transform applies it along the rows and then down the columns.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    static void InputAxis(Vector256<float> d0, Vector256<float> d1, Vector256<float> d2, Vector256<float> d3, int alpha,
        out Vector256<float> t0, out Vector256<float> t1, out Vector256<float> t2, out Vector256<float> t3)
    {
        if (alpha == 4) (t0, t1, t2, t3) = (d0 - d2, d1 + d2, d2 - d1, d1 - d3);
        else (t0, t1, t2, t3) = (d0 - d1, d1, d2 - d1, default);
    }

    /// <summary>A along one axis of a pair (e0, e1): e0, e0 + e1, e0 − e1, −e1 for α = 4 and e0, e0 + e1, e1 for α = 3 (the
    /// output-gradient transform, along the rows and then down the columns).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    static void GradientAxis(Vector256<float> e0, Vector256<float> e1, int alpha, out Vector256<float> t0, out Vector256<float> t1,
        out Vector256<float> t2, out Vector256<float> t3)
    {
        if (alpha == 4) (t0, t1, t2, t3) = (e0, e0 + e1, e0 - e1, -e1);
        else (t0, t1, t2, t3) = (e0, e0 + e1, e1, default);
    }

    /// <summary>The α values t0 … of a column of 8 tiles to dst + i·next, i &lt; α, the first count tiles.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    static void StoreTileColumn(Vector256<float> t0, Vector256<float> t1, Vector256<float> t2, Vector256<float> t3, float* dst, long next,
        int count, int alpha)
    {
        Conv2dWinograd.StoreTiles(t0, dst, count);
        Conv2dWinograd.StoreTiles(t1, dst + next, count);
        Conv2dWinograd.StoreTiles(t2, dst + 2 * next, count);
        if (alpha == 4) Conv2dWinograd.StoreTiles(t3, dst + 3 * next, count);
    }

    /// <summary><see cref="GradientAxis"/> down one column of a tile's two row transforms (e0, e1), to dst + i·next.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    static void StoreGradientColumn(Vector256<float> e0, Vector256<float> e1, float* dst, long next, int count, int alphaH)
    {
        GradientAxis(e0, e1, alphaH, out var t0, out var t1, out var t2, out var t3);
        StoreTileColumn(t0, t1, t2, t3, dst, next, count, alphaH);
    }

    /// <summary><see cref="InputAxis"/> (Bᵀ) down one column of a tile's α_h row transforms, to dst + i·next.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    static void StoreColumn(Vector256<float> d0, Vector256<float> d1, Vector256<float> d2, Vector256<float> d3, float* dst, long next,
        int count, int alphaH)
    {
        InputAxis(d0, d1, d2, d3, alphaH, out var t0, out var t1, out var t2, out var t3);
        StoreTileColumn(t0, t1, t2, t3, dst, next, count, alphaH);
    }

    /// <summary><see cref="InputAxis"/> (d B_w) of 8 tiles whose row values are (d0, d1, d2, d3) to dst + i·lanes, i &lt; α_w.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    static void StoreRowTransform(Vector256<float> d0, Vector256<float> d1, Vector256<float> d2, Vector256<float> d3, float* dst, int lanes,
        int alphaW)
    {
        InputAxis(d0, d1, d2, d3, alphaW, out var t0, out var t1, out var t2, out var t3);
        StoreRow(t0, t1, t2, t3, dst, lanes, alphaW);
    }

    /// <summary>The α values t0 … of 8 tiles to dst + i·lanes, i &lt; α (a row buffer of the portable path).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    static void StoreRow(Vector256<float> t0, Vector256<float> t1, Vector256<float> t2, Vector256<float> t3, float* dst, int lanes, int alpha)
    {
        t0.Store(dst);
        t1.Store(dst + lanes);
        t2.Store(dst + 2 * lanes);
        if (alpha == 4) t3.Store(dst + 3 * lanes);
    }

    /// <summary>
    /// Output channel k's tile rows [ty0, ty0 + rows) from its products (position ξ of tile t at m[ξ·step + t]):
    /// Y = A_hᵀ M A_w + bias into yk [OH, OW], cut at the image edge: Aᵀ down each column of the α_h × α_w block, then along
    /// the two rows that leaves.
    /// </summary>
    public static void Output(float* m, long step, float bias, float* yk, in Conv2dGeometry g, int ty0, int rows, int alphaH, int alphaW)
    {
        int tw = (g.OW + 1) / 2;
        long down = alphaW * step; // from position (i, j) to (i + 1, j)
        var b = Vector256.Create(bias);
        for (int ty = 0; ty < rows; ty++)
        {
            int oy = 2 * (ty0 + ty);
            float* y0 = yk + (long)oy * g.OW;
            for (int j = 0; j < tw; j += 8)
            {
                float* mt = m + (long)ty * tw + j;
                Column(mt, down, alphaH, out var s00, out var s10);
                Column(mt + step, down, alphaH, out var s01, out var s11);
                Column(mt + 2 * step, down, alphaH, out var s02, out var s12);
                Vector256<float> s03 = default, s13 = default;
                if (alphaW == 4) Column(mt + 3 * step, down, alphaH, out s03, out s13);
                AlongAxis(s00, s01, s02, s03, alphaW, out var y00, out var y01);
                AlongAxis(s10, s11, s12, s13, alphaW, out var y10, out var y11);
                // Tiles j … j + 7 are columns 2j … 2j + 15 of both output rows, cut at the right edge.
                int columns = Math.Min(16, g.OW - 2 * j);
                NativeVector.StoreInterleaved(y0 + 2 * j, y00 + b, y01 + b, columns);
                if (oy + 1 < g.OH) NativeVector.StoreInterleaved(y0 + g.OW + 2 * j, y10 + b, y11 + b, columns);
            }
        }
    }

    /// <summary>Aᵀ down the column of α rows at p (<paramref name="down"/> apart): (y0, y1) as <see cref="AlongAxis"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    static void Column(float* p, long down, int alpha, out Vector256<float> y0, out Vector256<float> y1)
    {
        var a0 = Vector256.Load(p);
        var a1 = Vector256.Load(p + down);
        var a2 = Vector256.Load(p + 2 * down);
        var a3 = alpha == 4 ? Vector256.Load(p + 3 * down) : default;
        AlongAxis(a0, a1, a2, a3, alpha, out y0, out y1);
    }

    /// <summary>(y0, y1) = Aᵀ a along one axis: a0 + a1 + a2 and a1 − a2 − a3 for α = 4, a0 + a1 and a1 + a2 for α = 3.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    static void AlongAxis(Vector256<float> a0, Vector256<float> a1, Vector256<float> a2, Vector256<float> a3, int alpha,
        out Vector256<float> y0, out Vector256<float> y1)
    {
        if (alpha == 4)
        {
            y0 = a0 + a1 + a2;
            y1 = a1 - a2 - a3;
        }
        else
        {
            y0 = a0 + a1;
            y1 = a1 + a2;
        }
    }

    /// <summary>
    /// dM = A_h dY A_wᵀ for tile rows [ty0, ty0 + rows) of one output channel's gradient dyk [OH, OW] (zero past the edge):
    /// position ξ of tile t at m[ξ·step + t]. Along each axis a pair (e0, e1) becomes (e0, e0 + e1, e0 − e1, −e1) for α = 4
    /// and (e0, e0 + e1, e1) for α = 3.
    /// </summary>
    public static void OutputGradient(float* dyk, float* m, long step, in Conv2dGeometry g, int ty0, int rows, int alphaH, int alphaW)
    {
        if (Use256)
        {
            OutputGradientInRegisters(dyk, m, step, g, ty0, rows, alphaH, alphaW);
            return;
        }
        int tw = (g.OW + 1) / 2, lanes = (tw + 7) / 8 * 8;
        // Two rows' [α_w][lanes], then R0 and R1.
        float* h = NativeScratch.Get(ScratchSlot.WinogradRows, 2L * alphaW * lanes + 2 * lanes);
        float* r0 = h + 2L * alphaW * lanes, r1 = r0 + lanes;
        for (int ty = 0; ty < rows; ty++)
        {
            for (int a = 0; a < 2; a++)
            {
                int oy = 2 * (ty0 + ty) + a;
                float* ha = h + (long)a * alphaW * lanes;
                if (oy >= g.OH)
                {
                    new Span<float>(ha, alphaW * lanes).Clear();
                    continue;
                }
                Conv2dWinograd.SplitColumns(dyk + (long)oy * g.OW, g.OW, 0, r0, r1, lanes, relu: false);
                for (int j = 0; j < lanes; j += 8)
                {
                    GradientAxis(Vector256.Load(r0 + j), Vector256.Load(r1 + j), alphaW, out var t0, out var t1, out var t2, out var t3);
                    StoreRow(t0, t1, t2, t3, ha + j, lanes, alphaW);
                }
            }
            for (int col = 0; col < alphaW; col++)
                for (int j = 0; j < tw; j += 8)
                {
                    var e0 = Vector256.Load(h + col * lanes + j);
                    var e1 = Vector256.Load(h + (long)alphaW * lanes + col * lanes + j);
                    StoreGradientColumn(e0, e1, m + (long)ty * tw + j + col * step, alphaW * step, Math.Min(8, tw - j), alphaH);
                }
        }
    }
}
