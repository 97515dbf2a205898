using System.Runtime.Intrinsics;

namespace IlgpuVq.Engine.Native;

/// <summary>
/// Single-precision matrix product on the host: C (= or +=) alpha·A·B with A [m,k] and B [k,n] given as
/// <see cref="StridedMatrix"/> (any row/column strides, so transposes cost nothing) and C row-major with leading
/// dimension ldc. Cache-blocked like BLIS: C is cut into blocks of <see cref="SgemmTile.BlockRows"/> × (up to) <see cref="BlockCols"/>,
/// each block is one task that walks K in slices of <see cref="BlockDepth"/>, packs its slice of A and B into per-thread
/// buffers (<see cref="SgemmPacking"/>) and runs the <see cref="SgemmMicroKernel"/> register tile of the ISA's
/// <see cref="SgemmTile"/> over it (8 × 32 on AVX-512, 6 × 16 on AVX2).
/// Determinism: every C element is an FMA chain over each K slice from zero, the slices added to C in ascending order,
/// independent of the block split, of edge tiles, of the tile shape and of the worker count, so results are bit-identical
/// for any <see cref="NativeParallel.Workers"/> and on every ISA.
/// </summary>
public static unsafe class Sgemm
{
    /// <summary>Largest column count of C per task (NC), a multiple of the tile columns.</summary>
    public const int BlockCols = 512;
    /// <summary>K slice (KC): a packed B panel (KC × NR: 32 KiB with the AVX-512 tile, 16 KiB with the AVX2 one) stays in L1.</summary>
    public const int BlockDepth = 256;
    /// <summary>Products with fewer multiply-adds than this run on the calling thread.</summary>
    public const long SerialBelow = 1 << 20;

    /// <summary>
    /// C[i·ldc + j] = (accumulate ? C[i·ldc + j] : 0) + alpha·Σ_p A(i,p)·B(p,j) for i &lt; m, j &lt; n; with
    /// <paramref name="parallel"/> the blocks of C run on <see cref="NativeParallel"/> (same result either way).
    /// </summary>
    public static void Multiply(int m, int n, int k, float alpha, StridedMatrix a, StridedMatrix b, float* c, long ldc,
        bool accumulate, bool parallel) => Multiply(SgemmTile.Current, m, n, k, alpha, a, b, c, ldc, accumulate, parallel);

    /// <summary>The same product with the register tile <paramref name="tile"/> (one of <see cref="SgemmTile.Supported"/>).</summary>
    public static void Multiply(SgemmTile tile, int m, int n, int k, float alpha, StridedMatrix a, StridedMatrix b, float* c, long ldc,
        bool accumulate, bool parallel) => Multiply(tile, m, n, k, alpha, a, null, b, c, ldc, accumulate, parallel);

    /// <summary>Floats <see cref="PackA"/> writes for an m × k matrix A with <paramref name="tile"/>.</summary>
    public static long PackedASize(SgemmTile tile, int m, int k) => (long)RoundUp(m, tile.Rows) * k + SgemmPacking.Slack;

    /// <summary>
    /// A [m, k] packed once for every product with it (<see cref="Multiply(int, int, int, float, float*, StridedMatrix, float*, long, bool, bool)"/>):
    /// K slice s (columns p0 = s·<see cref="BlockDepth"/>..) at dst + p0·RoundUp(m, MR), in the panels <see cref="SgemmPacking.PackA"/>
    /// makes, so a block of rows i0.. (a multiple of MR) starts i0·kc further. A product that reuses the same A for many B (a
    /// convolution's weights for every image) then packs it once instead of once per product. dst holds <see cref="PackedASize"/> floats.
    /// </summary>
    public static void PackA(int m, int k, StridedMatrix a, float* dst)
    {
        var tile = SgemmTile.Current;
        for (int p0 = 0; p0 < k; p0 += BlockDepth)
            SgemmPacking.PackA(tile, a, 0, m, p0, Math.Min(BlockDepth, k - p0), dst + (long)p0 * RoundUp(m, tile.Rows));
    }

    /// <summary>Columns [p0, k) of an m-row A packed by <see cref="PackA"/>, as a packed A of their own (p0 a multiple of
    /// <see cref="BlockDepth"/>): for a product over a chunk of K that starts there.</summary>
    public static float* PackedFrom(float* packedA, int m, int p0) => packedA + (long)p0 * RoundUp(m, SgemmTile.Current.Rows);

    /// <summary>The product with A given packed by <see cref="PackA"/> (the same bits as from A itself).</summary>
    public static void Multiply(int m, int n, int k, float alpha, float* packedA, StridedMatrix b, float* c, long ldc, bool accumulate,
        bool parallel) => Multiply(SgemmTile.Current, m, n, k, alpha, default, packedA, b, c, ldc, accumulate, parallel);

    static void Multiply(SgemmTile tile, int m, int n, int k, float alpha, StridedMatrix a, float* packedA, StridedMatrix b, float* c,
        long ldc, bool accumulate, bool parallel)
    {
        if (m <= 0 || n <= 0) return;
        if (k <= 0)
        {
            if (!accumulate)
                for (int i = 0; i < m; i++) new Span<float>(c + i * ldc, n).Clear();
            return;
        }
        int blockRows = tile.BlockRows, nr = tile.Cols;
        int rowBlocks = (m + blockRows - 1) / blockRows, blockCols = BlockCols;
        int workers = NativeParallel.Workers;
        parallel &= workers > 1 && (long)m * n * k >= SerialBelow;
        if (parallel)
            while (rowBlocks * ((n + blockCols - 1) / blockCols) < 4 * workers && blockCols > nr)
                blockCols = Math.Max(nr, (blockCols / 2 + nr - 1) / nr * nr);
        int colBlocks = (n + blockCols - 1) / blockCols, tasks = rowBlocks * colBlocks;
        if (!parallel || tasks == 1)
        {
            for (int t = 0; t < tasks; t++) RunTask(t);
            return;
        }
        NativeParallel.For(tasks, RunTask);

        void RunTask(int t)
        {
            int rb = t / colBlocks, cb = t - rb * colBlocks;
            int i0 = rb * blockRows, j0 = cb * blockCols;
            Block(tile, i0, Math.Min(blockRows, m - i0), j0, Math.Min(blockCols, n - j0), k, alpha, a, packedA, RoundUp(m, tile.Rows), b, c, ldc,
                accumulate);
        }
    }

    /// <summary>The C block rows [i0, i0+mc) × columns [j0, j0+nc), all of K, on the calling thread; A from
    /// <paramref name="packedA"/> (packed by <see cref="PackA"/>, <paramref name="packedRows"/> = RoundUp(m, MR)) when not null.</summary>
    static void Block(SgemmTile tile, int i0, int mc, int j0, int nc, int k, float alpha, StridedMatrix a, float* packedA, int packedRows,
        StridedMatrix b, float* c, long ldc, bool accumulate)
    {
        int mr = tile.Rows, nr = tile.Cols;
        int kcMax = Math.Min(k, BlockDepth);
        float* ap = packedA != null ? null : NativeScratch.Get(ScratchSlot.PackA, (long)RoundUp(mc, mr) * kcMax + SgemmPacking.Slack);
        bool direct = ReadsBInPlace(b, nc, nr);
        long ldb = direct ? b.RowStride : nr;
        float* bp = direct ? null : NativeScratch.Get(ScratchSlot.PackB, (long)RoundUp(nc, nr) * kcMax);
        float* edge = NativeScratch.Get(ScratchSlot.EdgeTile, mr * nr); // not stackalloc: that would keep Block from tier 1
        for (int p0 = 0; p0 < k; p0 += BlockDepth)
        {
            int kc = Math.Min(BlockDepth, k - p0);
            if (!direct) SgemmPacking.PackB(tile, b, p0, kc, j0, nc, bp);
            if (packedA != null) ap = packedA + (long)p0 * packedRows + (long)i0 * kc;
            else SgemmPacking.PackA(tile, a, i0, mc, p0, kc, ap);
            bool add = accumulate || p0 > 0;
            for (int jr = 0; jr < nc; jr += nr)
            {
                int cols = Math.Min(nr, nc - jr);
                float* bPanel = direct ? b.Data + p0 * b.RowStride + j0 + jr : bp + (long)jr * kc;
                for (int ir = 0; ir < mc; ir += mr)
                {
                    int rows = Math.Min(mr, mc - ir);
                    float* aPanel = ap + (long)ir * kc;
                    float* ct = c + (i0 + ir) * ldc + j0 + jr;
                    if (rows == mr && cols == nr)
                    {
                        SgemmMicroKernel.Run(tile, kc, aPanel, bPanel, ldb, ct, ldc, alpha, add);
                        continue;
                    }
                    // Edge tile: the full tile into a buffer, then the in-range part with the same arithmetic as a full store.
                    SgemmMicroKernel.RunEdge(tile, rows, kc, aPanel, bPanel, ldb, edge, nr);
                    for (int r = 0; r < rows; r++) StoreEdgeRow(edge + r * nr, ct + r * ldc, cols, alpha, add);
                }
            }
        }
    }

    /// <summary>dst[j] = (add ? dst[j] : 0) + alpha·src[j] for j &lt; cols (the micro-kernel's store: the product scaled, then
    /// added to C), 8 at a time.</summary>
    static void StoreEdgeRow(float* src, float* dst, int cols, float alpha, bool add)
    {
        int j = 0;
        for (; j + 8 <= cols; j += 8)
        {
            var v = Vector256.Load(src + j);
            if (alpha != 1f) v *= alpha;
            if (add) v = Vector256.Load(dst + j) + v;
            v.Store(dst + j);
        }
        for (; j < cols; j++)
        {
            float v = src[j];
            if (alpha != 1f) v *= alpha;
            if (add) v = dst[j] + v;
            dst[j] = v;
        }
    }

    /// <summary>
    /// True when the micro-kernel reads B's panels where they lie instead of from a packed copy: rows contiguous (column
    /// stride 1), every panel of the block whole (nc a multiple of NR, so no zero padding is needed), and a row stride that
    /// is not a multiple of 4 KiB (those rows share the L1 sets, and in place ran up to 0.63× packed). The same FMAs in the
    /// same order either way, so the same bits. Zen 4, one thread, A prepacked, min of 40 interleaved calls, packed / in place
    /// GFLOP/s, AVX-512 (AVX2): the Winograd products 32×64×128 78 / 112 (64 / 97), 128×64×256 104 / 116 (97 / 113); the
    /// 1×1 convolutions on 16 × 16 64×256×64 108 / 115 (79 / 102), 128×256×128 107 / 112 (109 / 112), 512×256×256 113 / 117
    /// (111 / 112); 64×768×64 108 / 114; a stride of 1024 floats 64×1024×48 105 / 102 (98 / 77), 32×4096×27 95 / 90 (80 / 50).
    /// </summary>
    static bool ReadsBInPlace(StridedMatrix b, int nc, int nr) => b.ColStride == 1 && nc % nr == 0 && b.RowStride % 1024 != 0;

    static int RoundUp(int x, int multiple) => (x + multiple - 1) / multiple * multiple;
}
