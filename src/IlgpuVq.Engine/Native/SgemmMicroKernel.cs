using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace IlgpuVq.Engine.Native;

/// <summary>
/// The register tile of <see cref="Sgemm"/>: an <see cref="Rows"/> × <see cref="Cols"/> block of C from packed panels.
/// Every element is one fused multiply-add chain over p = 0..kc−1 starting from zero, whichever vector width runs it, so
/// the AVX-512 and the 256-bit paths give bit-identical results.
/// </summary>
static unsafe class SgemmMicroKernel
{
    /// <summary>Rows of C per tile (MR).</summary>
    public const int Rows = 8;
    /// <summary>Columns of C per tile (NR): two 512-bit vectors.</summary>
    public const int Cols = 32;

    static readonly bool Use512 = Vector512.IsHardwareAccelerated && Avx512F.IsSupported;

    /// <summary>
    /// c[r·ldc + j] = (add ? c[r·ldc + j] : 0) + alpha·Σ_p a[p·8 + r]·b[p·32 + j] for r &lt; 8, j &lt; 32, where
    /// <paramref name="a"/> is a packed panel of A (kc × 8, row r of the tile fastest) and <paramref name="b"/> a packed
    /// panel of B (kc × 32, column fastest). alpha·sum is rounded before the add (no fused store).
    /// </summary>
    public static void Run(int kc, float* a, float* b, float* c, long ldc, float alpha, bool add)
    {
        if (Use512) Run512(kc, a, b, c, ldc, alpha, add);
        else
            for (int q = 0; q < Cols / 8; q++) Run256(kc, a, b + q * 8, c + q * 8, ldc, alpha, add);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    static void Run512(int kc, float* a, float* b, float* c, long ldc, float alpha, bool add)
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
            a += Rows;
            b += Cols;
        }
        Store512(c, c00, c01, alpha, add); c += ldc;
        Store512(c, c10, c11, alpha, add); c += ldc;
        Store512(c, c20, c21, alpha, add); c += ldc;
        Store512(c, c30, c31, alpha, add); c += ldc;
        Store512(c, c40, c41, alpha, add); c += ldc;
        Store512(c, c50, c51, alpha, add); c += ldc;
        Store512(c, c60, c61, alpha, add); c += ldc;
        Store512(c, c70, c71, alpha, add);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    static void Store512(float* c, Vector512<float> lo, Vector512<float> hi, float alpha, bool add)
    {
        if (alpha != 1f) { lo *= alpha; hi *= alpha; }
        if (add) { lo += Vector512.Load(c); hi += Vector512.Load(c + 16); }
        lo.Store(c);
        hi.Store(c + 16);
    }

    /// <summary>The 8 × 8 column block of the tile starting at <paramref name="b"/> (a panel still 32 wide).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    static void Run256(int kc, float* a, float* b, float* c, long ldc, float alpha, bool add)
    {
        Vector256<float> c0 = default, c1 = default, c2 = default, c3 = default, c4 = default, c5 = default, c6 = default, c7 = default;
        for (int p = 0; p < kc; p++)
        {
            var bv = Vector256.Load(b);
            c0 = Vector256.FusedMultiplyAdd(Vector256.Create(a[0]), bv, c0);
            c1 = Vector256.FusedMultiplyAdd(Vector256.Create(a[1]), bv, c1);
            c2 = Vector256.FusedMultiplyAdd(Vector256.Create(a[2]), bv, c2);
            c3 = Vector256.FusedMultiplyAdd(Vector256.Create(a[3]), bv, c3);
            c4 = Vector256.FusedMultiplyAdd(Vector256.Create(a[4]), bv, c4);
            c5 = Vector256.FusedMultiplyAdd(Vector256.Create(a[5]), bv, c5);
            c6 = Vector256.FusedMultiplyAdd(Vector256.Create(a[6]), bv, c6);
            c7 = Vector256.FusedMultiplyAdd(Vector256.Create(a[7]), bv, c7);
            a += Rows;
            b += Cols;
        }
        Store256(c, c0, alpha, add); c += ldc;
        Store256(c, c1, alpha, add); c += ldc;
        Store256(c, c2, alpha, add); c += ldc;
        Store256(c, c3, alpha, add); c += ldc;
        Store256(c, c4, alpha, add); c += ldc;
        Store256(c, c5, alpha, add); c += ldc;
        Store256(c, c6, alpha, add); c += ldc;
        Store256(c, c7, alpha, add);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    static void Store256(float* c, Vector256<float> v, float alpha, bool add)
    {
        if (alpha != 1f) v *= alpha;
        if (add) v += Vector256.Load(c);
        v.Store(c);
    }
}
