using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace IlgpuVq.Engine.Native;

/// <summary>8 × 8 float block transposes (pure data movement) for <see cref="SgemmPacking"/>.</summary>
static unsafe class Transpose8
{
    /// <summary>dst[c·dstStride + r] = src[r·srcStride + c] for r, c &lt; 8.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Block(float* src, long srcStride, float* dst, long dstStride)
    {
        if (!Avx.IsSupported)
        {
            for (int r = 0; r < 8; r++)
                for (int c = 0; c < 8; c++) dst[c * dstStride + r] = src[r * srcStride + c];
            return;
        }
        Store(Avx.LoadVector256(src), Avx.LoadVector256(src + srcStride), Avx.LoadVector256(src + 2 * srcStride),
            Avx.LoadVector256(src + 3 * srcStride), Avx.LoadVector256(src + 4 * srcStride), Avx.LoadVector256(src + 5 * srcStride),
            Avx.LoadVector256(src + 6 * srcStride), Avx.LoadVector256(src + 7 * srcStride), dst, dstStride);
    }

    /// <summary>
    /// dst[c·dstStride + r] = src[r·srcStride + c] for r &lt; 6, c &lt; 8, and dst[c·dstStride + 6..7] = 0: reads six rows only,
    /// writes 8 floats per column (with dstStride = 6 each column's two zeros are overwritten by the next column, and the
    /// last column writes two floats past dst + 48).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Block6(float* src, long srcStride, float* dst, long dstStride)
    {
        if (!Avx.IsSupported)
        {
            for (int c = 0; c < 8; c++)
                for (int r = 0; r < 8; r++) dst[c * dstStride + r] = r < 6 ? src[r * srcStride + c] : 0f;
            return;
        }
        Store(Avx.LoadVector256(src), Avx.LoadVector256(src + srcStride), Avx.LoadVector256(src + 2 * srcStride),
            Avx.LoadVector256(src + 3 * srcStride), Avx.LoadVector256(src + 4 * srcStride), Avx.LoadVector256(src + 5 * srcStride),
            Vector256<float>.Zero, Vector256<float>.Zero, dst, dstStride);
    }

    /// <summary>Stores the transpose of the rows r0..r7, column c to dst + c·dstStride, in ascending c.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    static void Store(Vector256<float> r0, Vector256<float> r1, Vector256<float> r2, Vector256<float> r3, Vector256<float> r4,
        Vector256<float> r5, Vector256<float> r6, Vector256<float> r7, float* dst, long dstStride)
    {
        var t0 = Avx.UnpackLow(r0, r1); var t1 = Avx.UnpackHigh(r0, r1);
        var t2 = Avx.UnpackLow(r2, r3); var t3 = Avx.UnpackHigh(r2, r3);
        var t4 = Avx.UnpackLow(r4, r5); var t5 = Avx.UnpackHigh(r4, r5);
        var t6 = Avx.UnpackLow(r6, r7); var t7 = Avx.UnpackHigh(r6, r7);
        var s0 = Avx.Shuffle(t0, t2, 0x44); var s1 = Avx.Shuffle(t0, t2, 0xEE);
        var s2 = Avx.Shuffle(t1, t3, 0x44); var s3 = Avx.Shuffle(t1, t3, 0xEE);
        var s4 = Avx.Shuffle(t4, t6, 0x44); var s5 = Avx.Shuffle(t4, t6, 0xEE);
        var s6 = Avx.Shuffle(t5, t7, 0x44); var s7 = Avx.Shuffle(t5, t7, 0xEE);
        Avx.Store(dst, Avx.Permute2x128(s0, s4, 0x20));
        Avx.Store(dst + dstStride, Avx.Permute2x128(s1, s5, 0x20));
        Avx.Store(dst + 2 * dstStride, Avx.Permute2x128(s2, s6, 0x20));
        Avx.Store(dst + 3 * dstStride, Avx.Permute2x128(s3, s7, 0x20));
        Avx.Store(dst + 4 * dstStride, Avx.Permute2x128(s0, s4, 0x31));
        Avx.Store(dst + 5 * dstStride, Avx.Permute2x128(s1, s5, 0x31));
        Avx.Store(dst + 6 * dstStride, Avx.Permute2x128(s2, s6, 0x31));
        Avx.Store(dst + 7 * dstStride, Avx.Permute2x128(s3, s7, 0x31));
    }
}
