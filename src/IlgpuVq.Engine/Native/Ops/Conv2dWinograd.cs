using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using IlgpuVq.Kernels;

namespace IlgpuVq.Engine.Native;

/// <summary>
/// Stride-1 3×3, 2×2 and 2×3 convolutions by Winograd's minimal filtering F(2×2, r_h×r_w) (Lavin &amp; Gray 2016), for
/// <see cref="Conv2dNative"/>: each 2×2 block of outputs (a tile) comes from an α_h×α_w block of input (α = r + 1) through
/// α_h·α_w products instead of 4·r_h·r_w (3×3: 16 instead of 36; 2×2: 9 instead of 16, the space-to-depth form of the 4×4
/// stride-2 convolutions, <see cref="Conv2dSpaceToDepth"/>; 2×3: 12 instead of 24, the prior's vertical stack). The transforms
/// follow from the tile shape (<see cref="WinogradTiles"/>): <see cref="WinogradPasses"/> for the input, output and
/// output-gradient tiles, <see cref="WinogradKernels"/> for the kernels. Per image:
/// <list type="number">
/// <item>the input tiles d (α_h×α_w, from rows 2ty − PT.., columns 2tx − PL.., zero outside the image) to V = Bᵀ d B,
/// laid out [α_h·α_w][Cin][tiles], each position's block padded by a cache line (<see cref="PositionPad"/>);</item>
/// <item>for each of the α_h·α_w positions ξ, one product M_ξ [Cout, tiles] = U_ξ [Cout, Cin] · V_ξ [Cin, tiles] (<see cref="Sgemm"/>),
/// with U = G g Gᵀ the transformed kernels, packed once per launch (<see cref="PackWeights"/>);</item>
/// <item>the output tiles Y = Aᵀ M A (2×2, cut at the image edge), plus the bias.</item>
/// </list>
/// The weight gradient runs the same transforms backwards (<see cref="TransformedWeightGradient"/>, <see cref="KernelGradient"/>). Results differ from the direct product
/// by rounding only (the tests hold them to the kernels' 1e-4 relative); every sum is in an order fixed by the problem, so they
/// are bit-identical for any worker count.
/// </summary>
public static unsafe class Conv2dWinograd
{
    /// <summary>Tiles per product at most (a block of whole tile rows): the 16 V_ξ and M_ξ blocks of an image stay near L2.</summary>
    const int TilesPerBlock = 128;

    /// <summary>Tiles per block of the weight gradient, whose products sum over the tiles: half a K slice of <see cref="Sgemm"/>
    /// (two 16 × 16 images), so that a block's V and dM (16 positions × 128 channels × 128 tiles, 1 MiB each at 128 → 128) stay
    /// nearer L2 than at a whole slice. Zen 4, batch 32, 2 workers, min of 20–40 interleaved rounds, ms at 256 / 128 tiles:
    /// 128 → 128 3×3 10.1–10.9 / 9.3–9.8, 64 → 128 3×3 5.3–5.5 / 5.2–5.5, 128 → 32 3×3 3.6 / 3.4–3.7, the space-to-depth form
    /// of 64 → 128 4×4 stride 2 12.3–13.4 / 11.1–12.3 (AVX-512 and AVX2 alike).</summary>
    const int GradientTilesPerBlock = Sgemm.BlockDepth / 2;

    /// <summary>
    /// True when this path can run <paramref name="g"/>: 3×3, 2×2 or 2×3, stride 1, padding below the kernel size on the top and left
    /// (any bottom and right padding follows from OH, OW), at least 8 channels each way.
    /// </summary>
    public static bool Supports(in Conv2dGeometry g) =>
        (g.KH, g.KW) is (3, 3) or (2, 2) or (2, 3) && g.SH == 1 && g.SW == 1 && g.PT >= 0 && g.PT < g.KH && g.PL >= 0 && g.PL < g.KW
        && g.Cin >= 8 && g.Cout >= 8;

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
    /// True when the weight gradient of <paramref name="g"/> takes this path (<see cref="TransformedWeightGradient"/>): where
    /// <see cref="Applies"/>. Measured on Zen 4 (2 workers, batch 32, 16 × 16, both vector widths, min of 12, Winograd / GEMM):
    /// 1.33× at 128 → 128, 1.27× at 64 → 128, 1.23× at 128 → 32, 1.08× at 32 → 128 and 32 → 32, and 1.24–1.28× for the
    /// space-to-depth form of 64 → 128, 4×4 stride 2. (On Zen 3, before <see cref="SplitColumns"/> was vectorized, it had
    /// measured 0.9–1.0× at 128 → 128 and 0.8–0.9× at 32 → 128, so it was then kept to Cin ≥ 2·Cout.)
    /// </summary>
    public static bool AppliesToWeightGradient(in Conv2dGeometry g) => Use switch
    {
        WinogradUse.Always => Supports(g),
        _ => Applies(g),
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

    /// <summary>Floats of <see cref="PackWeights"/>'s result per position.</summary>
    static long PackedPositionSize(in Conv2dGeometry g) => Sgemm.PackedASize(SgemmTile.Current, g.Cout, g.Cin);

    /// <summary>The α_h·α_w U_ξ = (G_h w[co, ci] G_wᵀ)_ξ [Cout, Cin] of the kernel w [Cout, Cin, r_h, r_w] (3×3, 2×2 or 2×3,
    /// from <paramref name="g"/>), each packed by <see cref="Sgemm.PackA"/> (position ξ at ξ·<see cref="PackedPositionSize"/>), in the
    /// calling thread's buffer. The transforms run on all workers, blocks of <see cref="PairsPerBlock"/> pairs, then the packing
    /// one position per item (on one thread they had been 0.1–0.4 ms of every launch, with the other workers idle).</summary>
    internal static float* PackWeights(float* w, in Conv2dGeometry g)
    {
        var t = WinogradTiles.Of(g);
        long pairs = (long)g.Cout * g.Cin, stride = PackedPositionSize(g);
        int taps = g.KH * g.KW;
        float* u = NativeScratch.Get(ScratchSlot.WinogradKernel, t.Positions * pairs);
        NativeParallel.ForBlocks(pairs, PairsPerBlock, (p0, p1) => WinogradKernels.Transform(w + p0 * taps, u + p0, p1 - p0, pairs, t));
        float* packed = NativeScratch.Get(ScratchSlot.PackedWeights, t.Positions * stride);
        var cg = g;
        NativeParallel.For(t.Positions, xi => Sgemm.PackA(cg.Cout, cg.Cin, StridedMatrix.RowMajor(u + xi * pairs, cg.Cin), packed + xi * stride));
        return packed;
    }

    /// <summary>(output, input) channel pairs per block of the kernel transforms across workers: 16 blocks at 128 → 128.</summary>
    const int PairsPerBlock = 1024;

    /// <summary>y [Cout, OH, OW] = conv(x [Cin, H, W], w) (+ bias) for one image, w packed by <see cref="PackWeights"/>; with
    /// <paramref name="inside"/> the work runs on all workers.</summary>
    internal static void ForwardImage(float* x, float* packedU, float* bias, float* y, Conv2dGeometry g, bool inside)
    {
        var t = WinogradTiles.Of(g);
        int positions = t.Positions;
        int th = (g.OH + 1) / 2, tw = (g.OW + 1) / 2;
        int rowsPerBlock = Math.Max(1, Math.Min(th, TilesPerBlock / tw));
        long stride = PackedPositionSize(g);
        for (int ty0 = 0; ty0 < th; ty0 += rowsPerBlock)
        {
            int rows = Math.Min(rowsPerBlock, th - ty0), tiles = rows * tw;
            long vStep = PositionStride(g.Cin, tiles), mStep = PositionStride(g.Cout, tiles);
            float* v = NativeScratch.Get(ScratchSlot.WinogradInput, positions * vStep);
            float* m = NativeScratch.Get(ScratchSlot.WinogradProduct, positions * mStep + 8); // + the reads past a short last tile row
            Run(inside, g.Cin, c => WinogradPasses.Input(x + (long)c * g.H * g.W, v + (long)c * tiles, vStep, g, ty0, rows, t.Rows, t.Cols));
            Run(inside, positions, xi => Sgemm.Multiply(g.Cout, tiles, g.Cin, 1f, packedU + xi * stride,
                StridedMatrix.RowMajor(v + xi * vStep, tiles), m + xi * mStep, tiles, false, false));
            Run(inside, g.Cout, k => WinogradPasses.Output(m + (long)k * tiles, mStep, bias != null ? bias[k] : 0f,
                y + (long)k * g.OH * g.OW, g, ty0, rows, t.Rows, t.Cols));
        }
    }

    /// <summary>Floats of a transformed kernel gradient dU [α_h·α_w][Cout][Cin] of <paramref name="g"/>
    /// (<see cref="TransformedWeightGradient"/>).</summary>
    internal static long TransformedKernelSize(in Conv2dGeometry g) => WinogradTiles.Of(g).Positions * (long)g.Cout * g.Cin;

    /// <summary>
    /// dU = Σ_{n0 ≤ n &lt; n1} of image n's transformed kernel gradient, images in ascending order, into <paramref name="du"/>
    /// [α_h·α_w][Cout][Cin]: per block of tiles (of whole images), dM = A dY Aᵀ of the output gradient and V of the input, then
    /// for each position dU_ξ [Cout, Cin] += dM_ξ [Cout, tiles] · V_ξᵀ (<see cref="Sgemm"/>). dw = Gᵀ dU G follows by
    /// <see cref="KernelGradient"/>, once for a sum of such dU (the transform is linear: a batch's groups add their dU first and
    /// transform once, where transforming each group's took 7 of 8 transforms more, about 2 % of a ref VQ-VAE step).
    /// </summary>
    internal static void TransformedWeightGradient(float* x, float* dy, int n0, int n1, float* du, Conv2dGeometry g, bool inside)
    {
        var t = WinogradTiles.Of(g);
        int positions = t.Positions;
        int th = (g.OH + 1) / 2, tw = (g.OW + 1) / 2, imageTiles = th * tw;
        // A block is several whole images (their tiles side by side: the products' depth) or a few tile rows of one image.
        int imagesPerBlock = Math.Max(1, GradientTilesPerBlock / imageTiles);
        int rowsPerBlock = imagesPerBlock > 1 ? th : Math.Max(1, Math.Min(th, GradientTilesPerBlock / tw));
        long pairs = (long)g.Cout * g.Cin, inImage = (long)g.Cin * g.H * g.W, outImage = (long)g.Cout * g.OH * g.OW;
        bool first = true;
        for (int nb = n0; nb < n1; nb += imagesPerBlock)
            for (int ty0 = 0; ty0 < th; ty0 += rowsPerBlock)
            {
                int images = Math.Min(imagesPerBlock, n1 - nb), rows = Math.Min(rowsPerBlock, th - ty0), perImage = rows * tw;
                int tiles = images * perImage;
                long vStep = PositionStride(g.Cin, tiles), mStep = PositionStride(g.Cout, tiles);
                float* v = NativeScratch.Get(ScratchSlot.WinogradInput, positions * vStep);
                float* m = NativeScratch.Get(ScratchSlot.WinogradProduct, positions * mStep);
                bool add = !first;
                Run(inside, g.Cin * images, item =>
                {
                    int i = item / g.Cin, c = item - i * g.Cin;
                    WinogradPasses.Input(x + (nb + i) * inImage + (long)c * g.H * g.W, v + (long)c * tiles + i * perImage, vStep, g, ty0, rows,
                        t.Rows, t.Cols);
                });
                Run(inside, g.Cout * images, item =>
                {
                    int i = item / g.Cout, k = item - i * g.Cout;
                    WinogradPasses.OutputGradient(dy + (nb + i) * outImage + (long)k * g.OH * g.OW, m + (long)k * tiles + i * perImage, mStep,
                        g, ty0, rows, t.Rows, t.Cols);
                });
                Run(inside, positions, xi => Sgemm.Multiply(g.Cout, g.Cin, tiles, 1f, StridedMatrix.RowMajor(m + xi * mStep, tiles),
                    StridedMatrix.Transposed(v + xi * vStep, tiles), du + xi * pairs, g.Cin, add, false));
                first = false;
            }
    }

    /// <summary>dw [Cout, Cin, r_h, r_w] = Gᵀ dU G of a transformed kernel gradient du (<see cref="TransformedWeightGradient"/>),
    /// blocks of pairs on all workers.</summary>
    internal static void KernelGradient(float* du, float* dw, in Conv2dGeometry g)
    {
        var t = WinogradTiles.Of(g);
        long pairs = (long)g.Cout * g.Cin;
        int taps = g.KH * g.KW;
        NativeParallel.ForBlocks(pairs, PairsPerBlock, (p0, p1) => WinogradKernels.Gradient(du + p0, p1 - p0, pairs, dw + p0 * taps, t));
    }

    /// <summary>Floats of padding after each position's block of V and M: one cache line. Unpadded, the 16 blocks lie
    /// channels·tiles·4 bytes apart (32 KiB at 128 channels × 64 tiles), so the transforms' 16 streams of stores or loads, one
    /// per position, all fall into the same L1 set (and alias at 4 KiB). Zen 4, batch 32, 16 × 16, min of 36 interleaved
    /// calls in one process, ms unpadded / padded, AVX-512: 128 → 32 3×3 fwd 2.67 / 2.26, dx 2.15 / 1.92, dw 3.23 / 2.64;
    /// 128 → 128 fwd 6.91 / 6.37, dx 7.17 / 6.68, dw 8.88 / 8.46; 2×3 64 → 128 fwd 2.84 / 2.69, dw 3.60 / 3.37; the 4×4
    /// stride-2 form 8.57 / 8.44 fwd, 10.38 / 10.11 dw; AVX2 alike (128 → 32 fwd 2.92 / 2.60, 128 → 128 dw 9.04 / 8.30). 32 or
    /// 64 floats measured the same as 16. A layout change only: the same bits.</summary>
    const int PositionPad = 16;

    /// <summary>Floats from one position's block of V (or M) to the next: channels·tiles and <see cref="PositionPad"/>.</summary>
    static long PositionStride(int channels, int tiles) => (long)channels * tiles + PositionPad;

    /// <summary>body(i) for i &lt; count: in parallel (over the workers' own scratch buffers) when <paramref name="parallel"/>, else in order.</summary>
    static void Run(bool parallel, int count, Action<int> body)
    {
        if (parallel) NativeParallel.For(count, body);
        else
            for (int i = 0; i < count; i++) body(i);
    }

    /// <summary>One row's columns first, first + 2, … to even[j] and first + 1, first + 3, … to odd[j] for j &lt; count, zero
    /// outside [0, width): the two column phases a tile row's transforms combine. 16 columns at a time go straight from the row
    /// into registers (masked loads where they reach past an edge, which do not touch the masked-out memory) and split there
    /// by AVX2 shuffles (AVX-512: 32 columns at a time by two-register permutes). (It had gone through a zero-padded staging copy, and the loads from that copy, each spanning two of
    /// its just-made stores, stalled on store forwarding: about half the input transform's time.) With <paramref name="relu"/>
    /// the columns are rectified as they are loaded (<see cref="Rectified"/>: the reads of a convolution of a ReLU).</summary>
    internal static void SplitColumns(float* row, int width, int first, float* even, float* odd, int count, bool relu)
    {
        var r = default(Rectified);
        int j = 0;
        if (NativeIsa.Use512)
        {
            // Two-register (32 columns, 16 of each phase) or one-register (16 columns, 8 of each) permutes of masked loads.
            for (; j + 16 <= count; j += 16)
            {
                var lo = LoadInRange512(row, first + 2 * j, width);
                var hi = LoadInRange512(row, first + 2 * j + 16, width);
                if (relu) (lo, hi) = (r.Apply(lo), r.Apply(hi));
                Avx512F.PermuteVar16x32x2(lo, Take0, hi).Store(even + j);
                Avx512F.PermuteVar16x32x2(lo, Take1, hi).Store(odd + j);
            }
            for (; j + 8 <= count; j += 8)
            {
                var x = LoadInRange512(row, first + 2 * j, width);
                if (relu) x = r.Apply(x);
                Avx512F.PermuteVar16x32(x, Take0).GetLower().Store(even + j);
                Avx512F.PermuteVar16x32(x, Take1).GetLower().Store(odd + j);
            }
        }
        if (Avx2.IsSupported)
            for (; j + 8 <= count; j += 8)
            {
                int c0 = first + 2 * j;
                bool inside = c0 >= 0 && c0 + 16 <= width;
                var lo = inside ? Avx.LoadVector256(row + c0) : LoadInRange(row, c0, width);
                var hi = inside ? Avx.LoadVector256(row + c0 + 8) : LoadInRange(row, c0 + 8, width);
                if (relu) (lo, hi) = (r.Apply(lo), r.Apply(hi));
                SplitPair(lo, hi, out var e, out var o);
                Avx.Store(even + j, e);
                Avx.Store(odd + j, o);
            }
        for (; j < count; j++)
        {
            int c = first + 2 * j;
            float e = c >= 0 && c < width ? row[c] : 0f, o = c + 1 >= 0 && c + 1 < width ? row[c + 1] : 0f;
            even[j] = relu ? r.Apply(e) : e;
            odd[j] = relu ? r.Apply(o) : o;
        }
    }

    /// <summary>Lanes 2i + k (i &lt; 8) of two concatenated vectors: d_k of 8 tiles whose columns start at the first lane (the
    /// upper 8 lanes are not used).</summary>
    internal static readonly Vector512<int> Take0 = Vector512.Create(0, 2, 4, 6, 8, 10, 12, 14, 16, 18, 20, 22, 24, 26, 28, 30);
    internal static readonly Vector512<int> Take1 = Take0 + Vector512.Create(1);
    internal static readonly Vector512<int> Take2 = Take0 + Vector512.Create(2);
    internal static readonly Vector512<int> Take3 = Take0 + Vector512.Create(3);

    /// <summary>row[c0 + i] for the 16 lanes i, zero where c0 + i is outside [0, width); lanes outside are not read.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static Vector512<float> LoadInRange512(float* row, int c0, int width) =>
        c0 >= 0 && c0 + 16 <= width ? Vector512.Load(row + c0) : Avx512F.MaskLoad(row + c0, ColumnMask512(c0, width), Vector512<float>.Zero);

    /// <summary>The lanes i &lt; 16 whose column c0 + i lies inside [0, width).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static Vector512<float> ColumnMask512(int c0, int width)
    {
        var column = Vector512.Create(c0) + Vector512.Create(0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15);
        return (Vector512.GreaterThanOrEqual(column, Vector512<int>.Zero) & Vector512.LessThan(column, Vector512.Create(width))).AsSingle();
    }

    /// <summary>row[c0 + i] for the 8 lanes i, zero where c0 + i is outside [0, width); only in-range lanes are read.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    static Vector256<float> LoadInRange(float* row, int c0, int width) => Avx.MaskLoad(row + c0, ColumnMask256(c0, width));

    /// <summary>The lanes i &lt; 8 whose column c0 + i lies inside [0, width).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static Vector256<float> ColumnMask256(int c0, int width)
    {
        var column = Vector256.Create(c0) + Vector256.Create(0, 1, 2, 3, 4, 5, 6, 7);
        return (Vector256.GreaterThanOrEqual(column, Vector256<int>.Zero) & Vector256.LessThan(column, Vector256.Create(width))).AsSingle();
    }

    /// <summary>The even and the odd lanes of 16 consecutive columns (lo, hi), in order, by AVX2 shuffles.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static void SplitPair(Vector256<float> lo, Vector256<float> hi, out Vector256<float> even, out Vector256<float> odd)
    {
        // Within each 128-bit lane: (lo0 lo2 hi0 hi2) and (lo1 lo3 hi1 hi3); then the 64-bit quarters in order 0 2 1 3.
        even = Avx2.Permute4x64(Avx.Shuffle(lo, hi, 0b10_00_10_00).AsDouble(), 0b11_01_10_00).AsSingle();
        odd = Avx2.Permute4x64(Avx.Shuffle(lo, hi, 0b11_01_11_01).AsDouble(), 0b11_01_10_00).AsSingle();
    }

    /// <summary>The first <paramref name="count"/> lanes of <paramref name="value"/> to dst (all 8 with one store, fewer with
    /// one masked store on AVX; nothing else is written). No buffer, so no stackalloc in the hot passes that call it: a method
    /// with one is compiled once at full opt before its statics are set, never re-jitted at tier 1.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static void StoreTiles(Vector256<float> value, float* dst, int count)
    {
        if (count == 8) value.Store(dst);
        else if (Avx.IsSupported) Avx.MaskStore(dst, ColumnMask256(0, count), value);
        else for (int i = 0; i < count; i++) dst[i] = value.GetElement(i);
    }
}

/// <summary>The tile shape of one Winograd F(2×2, r_h×r_w) of <see cref="Conv2dWinograd"/>: 2×2 output tiles at a stride of 2
/// from <see cref="Rows"/> × <see cref="Cols"/> input tiles (α = r + 1, so 4 for F(2, 3) along an axis and 3 for F(2, 2)),
/// positions ξ = α_w·i + j, each tile's values of a position at v[ξ·step + t]. Every transform follows from it.</summary>
internal readonly record struct WinogradTiles(int Rows, int Cols)
{
    /// <summary>The shape for a supported kernel (3×3, 2×2, or 2×3: the prior's vertical stack).</summary>
    public static WinogradTiles Of(in Conv2dGeometry g) => new(g.KH + 1, g.KW + 1);

    public int Positions => Rows * Cols;
    /// <summary>G down the columns, α_h × r_h (row-major): <see cref="WinogradPasses.G3"/> or <see cref="WinogradPasses.G2"/>.</summary>
    public float[] KernelRows => Rows == 4 ? WinogradPasses.G3 : WinogradPasses.G2;
    /// <summary>G along the rows, α_w × r_w (row-major).</summary>
    public float[] KernelCols => Cols == 4 ? WinogradPasses.G3 : WinogradPasses.G2;
}

/// <summary>Which stride-1 3×3, 2×2 and 2×3 convolutions the native backend runs by <see cref="Conv2dWinograd"/>.</summary>
public enum WinogradUse
{
    /// <summary>Where it measured faster than im2col + GEMM (the default).</summary>
    WhereFaster,
    /// <summary>Never: im2col + GEMM for every convolution.</summary>
    Never,
    /// <summary>Every geometry it supports.</summary>
    Always,
}
