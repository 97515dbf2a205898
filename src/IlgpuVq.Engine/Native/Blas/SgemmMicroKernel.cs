using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace IlgpuVq.Engine.Native;

/// <summary>
/// The register tiles of <see cref="Sgemm"/>: a <see cref="SgemmTile.Rows"/> × <see cref="SgemmTile.Cols"/> block of C from
/// packed panels, one kernel per <see cref="SgemmTile"/> (8 × 32 on AVX-512, 6 × 16 on AVX2). Every element is one fused
/// multiply-add chain over p = 0..kc−1 starting from zero, whichever tile runs it, so both tiles give bit-identical results.
/// </summary>
static unsafe class SgemmMicroKernel
{
    /// <summary>
    /// c[r·ldc + j] = (add ? c[r·ldc + j] : 0) + alpha·Σ_p a[p·MR + r]·b[p·ldb + j] for r &lt; MR, j &lt; NR of
    /// <paramref name="tile"/>, where <paramref name="a"/> is a packed panel of A (kc × MR, row r of the tile fastest) and
    /// <paramref name="b"/> a panel of B (kc rows of NR columns, <paramref name="ldb"/> apart: NR when packed, B's own row
    /// stride when read in place). alpha·sum is rounded before the add (no fused store).
    /// </summary>
    public static void Run(SgemmTile tile, int kc, float* a, float* b, long ldb, float* c, long ldc, float alpha, bool add)
    {
        if (tile == SgemmTile.Avx512) Run8x32(kc, a, b, ldb, c, ldc, alpha, add);
        else Run16<SixRows>(kc, a, b, ldb, c, ldc, alpha, add);
    }

    /// <summary>
    /// The first <paramref name="rows"/> (≤ MR) rows of the tile into c (= alpha 1, no add), the rest of c undefined: the same
    /// bits as <see cref="Run"/>; the AVX2 tile runs edges of up to 4 rows with a 4-row kernel instead of all 6.
    /// </summary>
    public static void RunEdge(SgemmTile tile, int rows, int kc, float* a, float* b, long ldb, float* c, long ldc)
    {
        if (tile == SgemmTile.Avx2 && rows <= 4) Run16<FourRows>(kc, a, b, ldb, c, ldc, 1f, false);
        else Run(tile, kc, a, b, ldb, c, ldc, 1f, false);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    static void Run8x32(int kc, float* a, float* b, long ldb, float* c, long ldc, float alpha, bool add)
    {
        Vector512<float> c00 = default, c01 = default, c10 = default, c11 = default, c20 = default, c21 = default, c30 = default, c31 = default;
        Vector512<float> c40 = default, c41 = default, c50 = default, c51 = default, c60 = default, c61 = default, c70 = default, c71 = default;
        for (int p = 0; p < kc; p++)
        {
            var b0 = Vector512.Load(b);
            var b1 = Vector512.Load(b + 16);
            var ar = Vector512.Create(a[0]);
            c00 = Avx512F.FusedMultiplyAdd(ar, b0, c00); c01 = Avx512F.FusedMultiplyAdd(ar, b1, c01);
            ar = Vector512.Create(a[1]);
            c10 = Avx512F.FusedMultiplyAdd(ar, b0, c10); c11 = Avx512F.FusedMultiplyAdd(ar, b1, c11);
            ar = Vector512.Create(a[2]);
            c20 = Avx512F.FusedMultiplyAdd(ar, b0, c20); c21 = Avx512F.FusedMultiplyAdd(ar, b1, c21);
            ar = Vector512.Create(a[3]);
            c30 = Avx512F.FusedMultiplyAdd(ar, b0, c30); c31 = Avx512F.FusedMultiplyAdd(ar, b1, c31);
            ar = Vector512.Create(a[4]);
            c40 = Avx512F.FusedMultiplyAdd(ar, b0, c40); c41 = Avx512F.FusedMultiplyAdd(ar, b1, c41);
            ar = Vector512.Create(a[5]);
            c50 = Avx512F.FusedMultiplyAdd(ar, b0, c50); c51 = Avx512F.FusedMultiplyAdd(ar, b1, c51);
            ar = Vector512.Create(a[6]);
            c60 = Avx512F.FusedMultiplyAdd(ar, b0, c60); c61 = Avx512F.FusedMultiplyAdd(ar, b1, c61);
            ar = Vector512.Create(a[7]);
            c70 = Avx512F.FusedMultiplyAdd(ar, b0, c70); c71 = Avx512F.FusedMultiplyAdd(ar, b1, c71);
            a += 8;
            b += ldb;
        }
        Store(c, c00, c01, alpha, add); c += ldc;
        Store(c, c10, c11, alpha, add); c += ldc;
        Store(c, c20, c21, alpha, add); c += ldc;
        Store(c, c30, c31, alpha, add); c += ldc;
        Store(c, c40, c41, alpha, add); c += ldc;
        Store(c, c50, c51, alpha, add); c += ldc;
        Store(c, c60, c61, alpha, add); c += ldc;
        Store(c, c70, c71, alpha, add);
    }

    /// <summary>
    /// The AVX2 tile: 12 ymm accumulators, the two B vectors of a row of the panel and one broadcast of A = 15 of the 16 ymm
    /// registers (a tile written for 32 registers would spill here). With <typeparamref name="TRows"/> = <see cref="FourRows"/>
    /// only rows 0..3 of the (still 6-row) A panel are computed, for edge tiles; the JIT compiles each instantiation
    /// without the other's rows. Without AVX2/FMA the same code runs on .NET's software vectors (still one fused
    /// multiply-add per element).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    static void Run16<TRows>(int kc, float* a, float* b, long ldb, float* c, long ldc, float alpha, bool add) where TRows : struct, ITileRows
    {
        Vector256<float> c00 = default, c01 = default, c10 = default, c11 = default, c20 = default, c21 = default;
        Vector256<float> c30 = default, c31 = default, c40 = default, c41 = default, c50 = default, c51 = default;
        for (int p = 0; p < kc; p++)
        {
            var b0 = Vector256.Load(b);
            var b1 = Vector256.Load(b + 8);
            var ar = Vector256.Create(a[0]);
            c00 = Vector256.FusedMultiplyAdd(ar, b0, c00); c01 = Vector256.FusedMultiplyAdd(ar, b1, c01);
            ar = Vector256.Create(a[1]);
            c10 = Vector256.FusedMultiplyAdd(ar, b0, c10); c11 = Vector256.FusedMultiplyAdd(ar, b1, c11);
            ar = Vector256.Create(a[2]);
            c20 = Vector256.FusedMultiplyAdd(ar, b0, c20); c21 = Vector256.FusedMultiplyAdd(ar, b1, c21);
            ar = Vector256.Create(a[3]);
            c30 = Vector256.FusedMultiplyAdd(ar, b0, c30); c31 = Vector256.FusedMultiplyAdd(ar, b1, c31);
            if (TRows.Six)
            {
                ar = Vector256.Create(a[4]);
                c40 = Vector256.FusedMultiplyAdd(ar, b0, c40); c41 = Vector256.FusedMultiplyAdd(ar, b1, c41);
                ar = Vector256.Create(a[5]);
                c50 = Vector256.FusedMultiplyAdd(ar, b0, c50); c51 = Vector256.FusedMultiplyAdd(ar, b1, c51);
            }
            a += 6;
            b += ldb;
        }
        Store(c, c00, c01, alpha, add); c += ldc;
        Store(c, c10, c11, alpha, add); c += ldc;
        Store(c, c20, c21, alpha, add); c += ldc;
        Store(c, c30, c31, alpha, add);
        if (!TRows.Six) return;
        c += ldc;
        Store(c, c40, c41, alpha, add); c += ldc;
        Store(c, c50, c51, alpha, add);
    }

    /// <summary>Which rows of the 6 × 16 tile <see cref="Run16{TRows}"/> computes (a JIT-time constant per instantiation).</summary>
    interface ITileRows
    {
        static abstract bool Six { get; }
    }

    /// <summary>All six rows.</summary>
    readonly struct SixRows : ITileRows
    {
        public static bool Six => true;
    }

    /// <summary>Rows 0..3 only (edge tiles of up to four rows).</summary>
    readonly struct FourRows : ITileRows
    {
        public static bool Six => false;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    static void Store(float* c, Vector512<float> lo, Vector512<float> hi, float alpha, bool add)
    {
        if (alpha != 1f) { lo *= alpha; hi *= alpha; }
        if (add) { lo += Vector512.Load(c); hi += Vector512.Load(c + 16); }
        lo.Store(c);
        hi.Store(c + 16);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    static void Store(float* c, Vector256<float> lo, Vector256<float> hi, float alpha, bool add)
    {
        if (alpha != 1f) { lo *= alpha; hi *= alpha; }
        if (add) { lo += Vector256.Load(c); hi += Vector256.Load(c + 8); }
        lo.Store(c);
        hi.Store(c + 8);
    }
}
