using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using IlgpuVq.Kernels;

namespace IlgpuVq.Engine.Native;

/// <summary>
/// Stride-1 3×3 convolutions by Winograd's minimal filtering F(2×2, 3×3) (Lavin &amp; Gray 2016), for <see cref="Conv2dNative"/>:
/// each 2×2 block of outputs (a tile) comes from a 4×4 block of input through 16 products instead of 36. Per image:
/// <list type="number">
/// <item>the input tiles d (4×4, from rows 2ty − PT.., columns 2tx − PL.., zero outside the image) to V = Bᵀ d B,
/// laid out [16][Cin][tiles];</item>
/// <item>for each of the 16 positions ξ, one product M_ξ [Cout, tiles] = U_ξ [Cout, Cin] · V_ξ [Cin, tiles] (<see cref="Sgemm"/>),
/// with U = G g Gᵀ the transformed 3×3 kernels, packed once per launch (<see cref="PackWeights"/>);</item>
/// <item>the output tiles Y = Aᵀ M A (2×2, cut at the image edge), plus the bias.</item>
/// </list>
/// Bᵀ = [1 0 −1 0; 0 1 1 0; 0 −1 1 0; 0 1 0 −1], G = [1 0 0; ½ ½ ½; ½ −½ ½; 0 0 1], Aᵀ = [1 1 1 0; 0 1 −1 −1].
/// The weight gradient runs the same transforms backwards (<see cref="WeightGradient"/>). The transforms only add and subtract (and halve, exactly); they run over 8 tiles of a tile row at once. Results differ from
/// the direct product by rounding only (the tests hold them to the kernels' 1e-4 relative); every sum is in an order fixed by
/// the problem, so they are bit-identical for any worker count.
/// </summary>
public static unsafe class Conv2dWinograd
{
    /// <summary>Transform positions per tile (4 × 4).</summary>
    const int Positions = 16;

    /// <summary>Tiles per product at most (a block of whole tile rows): the 16 V_ξ and M_ξ blocks of an image stay near L2.</summary>
    const int TilesPerBlock = 128;

    /// <summary>Tiles per block of the weight gradient, whose products sum over the tiles: one K slice of <see cref="Sgemm"/>.</summary>
    const int GradientTilesPerBlock = Sgemm.BlockDepth;

    /// <summary>
    /// True when this path can run <paramref name="g"/>: 3×3, stride 1, padding at most 2 on the top and left (any bottom and
    /// right padding follows from OH, OW), at least 8 channels each way.
    /// </summary>
    public static bool Supports(in Conv2dGeometry g) =>
        g.KH == 3 && g.KW == 3 && g.SH == 1 && g.SW == 1 && g.PT is >= 0 and <= 2 && g.PL is >= 0 and <= 2 && g.Cin >= 8 && g.Cout >= 8;

    /// <summary>
    /// True when the forward convolution <paramref name="g"/> (or an input gradient run as one) takes this path under the calling
    /// thread's <see cref="Use"/>. <see cref="WinogradUse.WhereFaster"/> takes it for at least 32 channels each way and 16 × 16
    /// outputs or more: measured on Zen 3 (AVX2, 2 workers, batch 32), 1.2–1.9× faster there (1.2× at 32 → 32, 1.8× at 128 → 128
    /// on 16 × 16), while at 8 × 8 (16 tiles per image) and at 16 channels the small products of the 16 positions are level with im2col
    /// or lose to it (0.8–1.05×).
    /// </summary>
    public static bool Applies(in Conv2dGeometry g) => Use switch
    {
        WinogradUse.Never => false,
        WinogradUse.Always => Supports(g),
        _ => Supports(g) && g.Cin >= 32 && g.Cout >= 32 && g.OH * g.OW >= 256,
    };

    /// <summary>
    /// True when the weight gradient of <paramref name="g"/> takes this path (<see cref="WeightGradient"/>). Under
    /// <see cref="WinogradUse.WhereFaster"/> only where <see cref="Applies"/> and the input has at least twice the output's
    /// channels: its per-tile work transforms both x and dy, and the products dU += dM·Vᵀ sum over short blocks of tiles, so
    /// it measured 1.05–1.1× faster at 128 → 32 but 0.9–1.0× at 128 → 128, 0.8–1.15× at 64 → 128 (noisy) and 0.8–0.9× at
    /// 32 → 128 (16 × 16).
    /// </summary>
    public static bool AppliesToWeightGradient(in Conv2dGeometry g) => Use switch
    {
        WinogradUse.Always => Supports(g),
        _ => Applies(g) && g.Cin >= 2 * g.Cout,
    };

    /// <summary>Which convolutions the calling thread's launches run by Winograd (the native backend runs a launch on the
    /// thread that makes it): <see cref="WinogradUse.WhereFaster"/> (the default), or <see cref="WinogradUse.Never"/> (im2col +
    /// GEMM: the baseline of the benchmarks) and <see cref="WinogradUse.Always"/> (every supported geometry, however small: the
    /// tests). Per thread, so a test that changes it changes no other test's convolutions.</summary>
    public static WinogradUse Use
    {
        get => use;
        set => use = value;
    }

    [ThreadStatic] static WinogradUse use;

    /// <summary>Floats of <see cref="PackWeights"/>'s result.</summary>
    static long PackedPositionSize(in Conv2dGeometry g) => Sgemm.PackedASize(SgemmTile.Current, g.Cout, g.Cin);

    /// <summary>The 16 U_ξ = (G w[co, ci] Gᵀ)_ξ [Cout, Cin] of the kernel w [Cout, Cin, 3, 3], each packed by <see cref="Sgemm.PackA"/>
    /// (position ξ at ξ·<see cref="PackedPositionSize"/>), in the calling thread's buffer.</summary>
    internal static float* PackWeights(float* w, in Conv2dGeometry g)
    {
        long pairs = (long)g.Cout * g.Cin, stride = PackedPositionSize(g);
        float* u = NativeScratch.Get(ScratchSlot.WinogradKernel, Positions * pairs);
        for (long pair = 0; pair < pairs; pair++) TransformKernel(w + pair * 9, u + pair, pairs);
        float* packed = NativeScratch.Get(ScratchSlot.PackedWeights, Positions * stride);
        for (int xi = 0; xi < Positions; xi++)
            Sgemm.PackA(g.Cout, g.Cin, StridedMatrix.RowMajor(u + xi * pairs, g.Cin), packed + xi * stride);
        return packed;
    }

    /// <summary>u[ξ·step] = (G k Gᵀ)_ξ for one 3×3 kernel k (row-major), ξ = 4i + j.</summary>
    static void TransformKernel(float* k, float* u, long step)
    {
        float* t = stackalloc float[12]; // G k: 4 × 3
        for (int c = 0; c < 3; c++)
        {
            float k0 = k[c], k1 = k[3 + c], k2 = k[6 + c];
            t[c] = k0;
            t[3 + c] = 0.5f * (k0 + k1 + k2);
            t[6 + c] = 0.5f * (k0 - k1 + k2);
            t[9 + c] = k2;
        }
        for (int i = 0; i < 4; i++)
        {
            float t0 = t[3 * i], t1 = t[3 * i + 1], t2 = t[3 * i + 2];
            u[(4 * i) * step] = t0;
            u[(4 * i + 1) * step] = 0.5f * (t0 + t1 + t2);
            u[(4 * i + 2) * step] = 0.5f * (t0 - t1 + t2);
            u[(4 * i + 3) * step] = t2;
        }
    }

    /// <summary>y [Cout, OH, OW] = conv(x [Cin, H, W], w) (+ bias) for one image, w packed by <see cref="PackWeights"/>; with
    /// <paramref name="inside"/> the work runs on all workers.</summary>
    internal static void ForwardImage(float* x, float* packedU, float* bias, float* y, Conv2dGeometry g, bool inside)
    {
        int th = (g.OH + 1) / 2, tw = (g.OW + 1) / 2;
        int rowsPerBlock = Math.Max(1, Math.Min(th, TilesPerBlock / tw));
        long stride = PackedPositionSize(g);
        for (int ty0 = 0; ty0 < th; ty0 += rowsPerBlock)
        {
            int rows = Math.Min(rowsPerBlock, th - ty0), tiles = rows * tw;
            float* v = NativeScratch.Get(ScratchSlot.WinogradInput, (long)Positions * g.Cin * tiles);
            float* m = NativeScratch.Get(ScratchSlot.WinogradProduct, (long)Positions * g.Cout * tiles + 8); // + the reads past a short last tile row
            Run(inside, g.Cin, c => TransformInput(x + (long)c * g.H * g.W, v + (long)c * tiles, (long)g.Cin * tiles, g, ty0, rows));
            Run(inside, Positions, xi => Sgemm.Multiply(g.Cout, tiles, g.Cin, 1f, packedU + xi * stride,
                StridedMatrix.RowMajor(v + (long)xi * g.Cin * tiles, tiles), m + (long)xi * g.Cout * tiles, tiles, false, false));
            Run(inside, g.Cout, k => TransformOutput(m + (long)k * tiles, (long)g.Cout * tiles, bias != null ? bias[k] : 0f,
                y + (long)k * g.OH * g.OW, g, ty0, rows));
        }
    }

    /// <summary>
    /// dw [Cout, Cin, 3, 3] = Σ_{n0 ≤ n &lt; n1} ∂L/∂w of image n, images in ascending order: per block of tiles (of whole images),
    /// dM = A dY Aᵀ of the output gradient (<see cref="TransformOutputGradient"/>) and V of the input, then for each position
    /// dU_ξ [Cout, Cin] += dM_ξ [Cout, tiles] · V_ξᵀ (<see cref="Sgemm"/>), and at the end dw = Gᵀ dU G.
    /// </summary>
    internal static void WeightGradient(float* x, float* dy, int n0, int n1, float* dw, Conv2dGeometry g, bool inside)
    {
        int th = (g.OH + 1) / 2, tw = (g.OW + 1) / 2, imageTiles = th * tw;
        // A block is several whole images (their tiles side by side: the products' depth) or a few tile rows of one image.
        int imagesPerBlock = Math.Max(1, GradientTilesPerBlock / imageTiles);
        int rowsPerBlock = imagesPerBlock > 1 ? th : Math.Max(1, Math.Min(th, GradientTilesPerBlock / tw));
        long pairs = (long)g.Cout * g.Cin, inImage = (long)g.Cin * g.H * g.W, outImage = (long)g.Cout * g.OH * g.OW;
        float* du = NativeScratch.Get(ScratchSlot.WinogradKernelGradient, Positions * pairs);
        bool first = true;
        for (int nb = n0; nb < n1; nb += imagesPerBlock)
            for (int ty0 = 0; ty0 < th; ty0 += rowsPerBlock)
            {
                int images = Math.Min(imagesPerBlock, n1 - nb), rows = Math.Min(rowsPerBlock, th - ty0), perImage = rows * tw;
                int tiles = images * perImage;
                float* v = NativeScratch.Get(ScratchSlot.WinogradInput, (long)Positions * g.Cin * tiles);
                float* m = NativeScratch.Get(ScratchSlot.WinogradProduct, (long)Positions * g.Cout * tiles);
                bool add = !first;
                Run(inside, g.Cin * images, item =>
                {
                    int i = item / g.Cin, c = item - i * g.Cin;
                    TransformInput(x + (nb + i) * inImage + (long)c * g.H * g.W, v + (long)c * tiles + i * perImage, (long)g.Cin * tiles, g, ty0, rows);
                });
                Run(inside, g.Cout * images, item =>
                {
                    int i = item / g.Cout, k = item - i * g.Cout;
                    TransformOutputGradient(dy + (nb + i) * outImage + (long)k * g.OH * g.OW, m + (long)k * tiles + i * perImage, (long)g.Cout * tiles,
                        g, ty0, rows);
                });
                Run(inside, Positions, xi => Sgemm.Multiply(g.Cout, g.Cin, tiles, 1f, StridedMatrix.RowMajor(m + (long)xi * g.Cout * tiles, tiles),
                    StridedMatrix.Transposed(v + (long)xi * g.Cin * tiles, tiles), du + xi * pairs, g.Cin, add, false));
                first = false;
            }
        for (long pair = 0; pair < pairs; pair++) TransformKernelGradient(du + pair, pairs, dw + pair * 9);
    }

    /// <summary>k = Gᵀ U G for one 4×4 U (position ξ = 4i + j at u[ξ·step]) into a 3×3 kernel gradient k (row-major).</summary>
    static void TransformKernelGradient(float* u, long step, float* k)
    {
        float* t = stackalloc float[12]; // Gᵀ U: 3 × 4
        for (int j = 0; j < 4; j++)
        {
            float u0 = u[j * step], u1 = u[(4 + j) * step], u2 = u[(8 + j) * step], u3 = u[(12 + j) * step];
            t[j] = u0 + 0.5f * (u1 + u2);
            t[4 + j] = 0.5f * (u1 - u2);
            t[8 + j] = 0.5f * (u1 + u2) + u3;
        }
        for (int r = 0; r < 3; r++)
        {
            float t0 = t[4 * r], t1 = t[4 * r + 1], t2 = t[4 * r + 2], t3 = t[4 * r + 3];
            k[3 * r] = t0 + 0.5f * (t1 + t2);
            k[3 * r + 1] = 0.5f * (t1 - t2);
            k[3 * r + 2] = 0.5f * (t1 + t2) + t3;
        }
    }

    /// <summary>
    /// dM = A dY Aᵀ for tile rows [ty0, ty0 + rows) of one output channel's gradient dyk [OH, OW] (zero past the edge): position
    /// ξ of tile t at m[ξ·step + t]. Along each axis a pair (e0, e1) becomes (e0, e0 + e1, e0 − e1, −e1).
    /// </summary>
    static void TransformOutputGradient(float* dyk, float* m, long step, in Conv2dGeometry g, int ty0, int rows)
    {
        int tw = (g.OW + 1) / 2, lanes = (tw + 7) / 8 * 8;
        float* h = NativeScratch.Get(ScratchSlot.WinogradRows, 2L * 4 * lanes + 2 * lanes); // two rows' [4][lanes], then R0, R1
        float* r0 = h + 8L * lanes, r1 = r0 + lanes;
        float* out8 = stackalloc float[8];
        for (int ty = 0; ty < rows; ty++)
        {
            for (int a = 0; a < 2; a++)
            {
                int oy = 2 * (ty0 + ty) + a;
                float* ha = h + (long)a * 4 * lanes;
                if (oy >= g.OH)
                {
                    new Span<float>(ha, 4 * lanes).Clear();
                    continue;
                }
                float* row = dyk + (long)oy * g.OW;
                for (int j = 0; j < lanes; j++)
                {
                    r0[j] = 2 * j < g.OW ? row[2 * j] : 0f;
                    r1[j] = 2 * j + 1 < g.OW ? row[2 * j + 1] : 0f;
                }
                for (int j = 0; j < lanes; j += 8)
                {
                    var e0 = Vector256.Load(r0 + j);
                    var e1 = Vector256.Load(r1 + j);
                    e0.Store(ha + j);
                    (e0 + e1).Store(ha + lanes + j);
                    (e0 - e1).Store(ha + 2 * lanes + j);
                    (-e1).Store(ha + 3 * lanes + j);
                }
            }
            for (int col = 0; col < 4; col++)
                for (int j = 0; j < tw; j += 8)
                {
                    var e0 = Vector256.Load(h + col * lanes + j);
                    var e1 = Vector256.Load(h + 4L * lanes + col * lanes + j);
                    float* dst = m + (long)ty * tw + j + col * step;
                    int count = Math.Min(8, tw - j);
                    StoreTiles(e0, dst, count, out8);
                    StoreTiles(e0 + e1, dst + 4 * step, count, out8);
                    StoreTiles(e0 - e1, dst + 8 * step, count, out8);
                    StoreTiles(-e1, dst + 12 * step, count, out8);
                }
        }
    }

    /// <summary>body(i) for i &lt; count: in parallel (over the workers' own scratch buffers) when <paramref name="parallel"/>, else in order.</summary>
    static void Run(bool parallel, int count, Action<int> body)
    {
        if (parallel) NativeParallel.For(count, body);
        else
            for (int i = 0; i < count; i++) body(i);
    }

    /// <summary>
    /// V for tile rows [ty0, ty0 + rows) of one input channel xc [H, W]: position ξ of tile t at v[ξ·step + t]. Each input row
    /// r is split into P[j] = x[r, 2j − PL] and Q[j] = x[r, 2j − PL + 1] (zero outside), so that tile tx reads d = (P[tx],
    /// Q[tx], P[tx+1], Q[tx+1]) along a row and d B is four vector sums over 8 tiles; Bᵀ (d B) then combines four such rows.
    /// </summary>
    static void TransformInput(float* xc, float* v, long step, in Conv2dGeometry g, int ty0, int rows)
    {
        int tw = (g.OW + 1) / 2, lanes = (tw + 7) / 8 * 8;
        int inRows = 2 * rows + 2;
        // Row transforms d B of every input row the block reads: [inRows][4][lanes].
        float* h = NativeScratch.Get(ScratchSlot.WinogradRows, (long)inRows * 4 * lanes + 2 * (lanes + 8));
        float* p = h + (long)inRows * 4 * lanes, q = p + lanes + 8;
        for (int ir = 0; ir < inRows; ir++)
        {
            int r = 2 * ty0 + ir - g.PT;
            float* hr = h + (long)ir * 4 * lanes;
            if (r < 0 || r >= g.H)
            {
                new Span<float>(hr, 4 * lanes).Clear();
                continue;
            }
            float* xr = xc + (long)r * g.W;
            for (int j = 0; j < lanes + 8; j++)
            {
                int col = 2 * j - g.PL;
                p[j] = col >= 0 && col < g.W ? xr[col] : 0f;
                q[j] = col + 1 >= 0 && col + 1 < g.W ? xr[col + 1] : 0f;
            }
            for (int j = 0; j < lanes; j += 8)
            {
                var p0 = Vector256.Load(p + j);
                var p1 = Vector256.Load(p + j + 1);
                var q0 = Vector256.Load(q + j);
                var q1 = Vector256.Load(q + j + 1);
                (p0 - p1).Store(hr + j);
                (q0 + p1).Store(hr + lanes + j);
                (p1 - q0).Store(hr + 2 * lanes + j);
                (q0 - q1).Store(hr + 3 * lanes + j);
            }
        }
        float* out8 = stackalloc float[8];
        for (int ty = 0; ty < rows; ty++)
            for (int col = 0; col < 4; col++)
            {
                float* r0 = h + (long)(2 * ty) * 4 * lanes + col * lanes;
                long rowStride = 4L * lanes;
                for (int j = 0; j < tw; j += 8)
                {
                    var d0 = Vector256.Load(r0 + j);
                    var d1 = Vector256.Load(r0 + rowStride + j);
                    var d2 = Vector256.Load(r0 + 2 * rowStride + j);
                    var d3 = Vector256.Load(r0 + 3 * rowStride + j);
                    float* dst = v + (long)ty * tw + j + col * step;
                    int count = Math.Min(8, tw - j);
                    StoreTiles(d0 - d2, dst, count, out8);
                    StoreTiles(d1 + d2, dst + 4 * step, count, out8);
                    StoreTiles(d2 - d1, dst + 8 * step, count, out8);
                    StoreTiles(d1 - d3, dst + 12 * step, count, out8);
                }
            }
    }

    /// <summary>The first <paramref name="count"/> lanes of <paramref name="value"/> to dst (all 8 with one store).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    static void StoreTiles(Vector256<float> value, float* dst, int count, float* buffer)
    {
        if (count == 8)
        {
            value.Store(dst);
            return;
        }
        value.Store(buffer);
        for (int i = 0; i < count; i++) dst[i] = buffer[i];
    }

    /// <summary>
    /// Output channel k's tile rows [ty0, ty0 + rows) from its products (position ξ of tile t at m[ξ·step + t]): Y = Aᵀ M A + bias
    /// into yk [OH, OW], 8 tiles at a time, the even and odd output columns interleaved through a small buffer.
    /// </summary>
    static void TransformOutput(float* m, long step, float bias, float* yk, in Conv2dGeometry g, int ty0, int rows)
    {
        int tw = (g.OW + 1) / 2;
        var b = Vector256.Create(bias);
        float* pair = stackalloc float[32]; // Y00, Y01, Y10, Y11 of 8 tiles
        for (int ty = 0; ty < rows; ty++)
        {
            int oy = 2 * (ty0 + ty);
            float* y0 = yk + (long)oy * g.OW;
            bool second = oy + 1 < g.OH;
            for (int j = 0; j < tw; j += 8)
            {
                float* mt = m + (long)ty * tw + j;
                // Aᵀ M: s0 = M0 + M1 + M2, s1 = M1 − M2 − M3 (rows i of the 4 × 4 block), for each column c.
                Vector256<float> s00, s01, s02, s03, s10, s11, s12, s13;
                Columns(mt, step, 0, out s00, out s10);
                Columns(mt, step, 1, out s01, out s11);
                Columns(mt, step, 2, out s02, out s12);
                Columns(mt, step, 3, out s03, out s13);
                (s00 + s01 + s02 + b).Store(pair);
                (s01 - s02 - s03 + b).Store(pair + 8);
                (s10 + s11 + s12 + b).Store(pair + 16);
                (s11 - s12 - s13 + b).Store(pair + 24);
                int count = Math.Min(8, tw - j);
                for (int t = 0; t < count; t++)
                {
                    int ox = 2 * (j + t);
                    y0[ox] = pair[t];
                    if (ox + 1 < g.OW) y0[ox + 1] = pair[8 + t];
                    if (!second) continue;
                    y0[g.OW + ox] = pair[16 + t];
                    if (ox + 1 < g.OW) y0[g.OW + ox + 1] = pair[24 + t];
                }
            }
        }
    }

    /// <summary>Column c of Aᵀ M for 8 tiles: s0 = M[0,c] + M[1,c] + M[2,c], s1 = M[1,c] − M[2,c] − M[3,c].</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    static void Columns(float* mt, long step, int c, out Vector256<float> s0, out Vector256<float> s1)
    {
        var m0 = Vector256.Load(mt + c * step);
        var m1 = Vector256.Load(mt + (4 + c) * step);
        var m2 = Vector256.Load(mt + (8 + c) * step);
        var m3 = Vector256.Load(mt + (12 + c) * step);
        s0 = m0 + m1 + m2;
        s1 = m1 - m2 - m3;
    }
}

/// <summary>Which stride-1 3×3 convolutions the native backend runs by <see cref="Conv2dWinograd"/>.</summary>
public enum WinogradUse
{
    /// <summary>Where it measured faster than im2col + GEMM (the default).</summary>
    WhereFaster,
    /// <summary>Never: im2col + GEMM for every convolution.</summary>
    Never,
    /// <summary>Every geometry it supports.</summary>
    Always,
}
