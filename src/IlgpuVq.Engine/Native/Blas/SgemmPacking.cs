using System.Runtime.CompilerServices;

namespace IlgpuVq.Engine.Native;

/// <summary>
/// Packs slices of <see cref="Sgemm"/>'s operands into the layouts <see cref="SgemmMicroKernel"/> streams for a
/// <see cref="SgemmTile"/> (MR × NR), zero-padding partial panels so that every tile runs the same full-size arithmetic.
/// </summary>
static unsafe class SgemmPacking
{
    /// <summary>Floats past the packed A block that <see cref="PackA"/> may write (the 6-row transpose stores 8 per column).</summary>
    public const int Slack = 8;

    /// <summary>
    /// A rows [i0, i0+mc) × columns [p0, p0+kc) into panels of MR rows: panel q (rows i0+MR·q..) at dst + MR·q·kc,
    /// element (r, p) at [p·MR + r]; rows past mc are zero. dst needs <see cref="Slack"/> floats past the last panel.
    /// </summary>
    public static void PackA(SgemmTile tile, StridedMatrix a, int i0, int mc, int p0, int kc, float* dst)
    {
        int Mr = tile.Rows;
        long rs = a.RowStride, cs = a.ColStride;
        for (int ir = 0; ir < mc; ir += Mr)
        {
            int rows = Math.Min(Mr, mc - ir);
            float* d = dst + (long)ir * kc;
            float* src = a.Data + (i0 + ir) * rs + p0 * cs;
            if (cs == 1)
            {
                int p = 0;
                if (rows == 8 && Mr == 8)
                    for (; p + 8 <= kc; p += 8) Transpose8.Block(src + p, rs, d + p * Mr, Mr);
                else if (rows == 6 && Mr == 6)
                    for (; p + 8 <= kc; p += 8) Transpose8.Block6(src + p, rs, d + p * Mr, Mr);
                for (int q = p; q < kc; q++)
                    for (int r = 0; r < rows; r++) d[q * Mr + r] = src[r * rs + q];
            }
            else
                for (int p = 0; p < kc; p++)
                {
                    float* s = src + p * cs;
                    for (int r = 0; r < rows; r++) d[p * Mr + r] = s[r * rs];
                }
            for (int r = rows; r < Mr; r++)
                for (int p = 0; p < kc; p++) d[p * Mr + r] = 0f;
        }
    }

    /// <summary>
    /// B rows [p0, p0+kc) × columns [j0, j0+nc) into panels of NR columns (a multiple of 8): panel q (columns j0+NR·q..)
    /// at dst + NR·q·kc, element (p, j) at [p·NR + j]; columns past nc are zero.
    /// </summary>
    public static void PackB(SgemmTile tile, StridedMatrix b, int p0, int kc, int j0, int nc, float* dst)
    {
        int Nr = tile.Cols;
        long rs = b.RowStride, cs = b.ColStride;
        for (int jr = 0; jr < nc; jr += Nr)
        {
            int cols = Math.Min(Nr, nc - jr);
            float* d = dst + (long)jr * kc;
            float* src = b.Data + p0 * rs + (j0 + jr) * cs;
            if (cs == 1)
            {
                for (int p = 0; p < kc; p++)
                {
                    float* s = src + p * rs, dp = d + p * Nr;
                    if (cols == Nr) CopyRow(s, dp, Nr);
                    else
                    {
                        for (int j = 0; j < cols; j++) dp[j] = s[j];
                        for (int j = cols; j < Nr; j++) dp[j] = 0f;
                    }
                }
                continue;
            }
            int j0Tail = 0;
            if (rs == 1)
                for (; j0Tail + 8 <= cols; j0Tail += 8)
                {
                    int p = 0;
                    for (; p + 8 <= kc; p += 8) Transpose8.Block(src + j0Tail * cs + p, cs, d + p * Nr + j0Tail, Nr);
                    for (int j = j0Tail; j < j0Tail + 8; j++)
                        for (int q = p; q < kc; q++) d[q * Nr + j] = src[j * cs + q];
                }
            for (int j = j0Tail; j < cols; j++)
            {
                float* s = src + j * cs;
                for (int p = 0; p < kc; p++) d[p * Nr + j] = s[p * rs];
            }
            if (cols < Nr)
                for (int p = 0; p < kc; p++)
                    for (int j = cols; j < Nr; j++) d[p * Nr + j] = 0f;
        }
    }

    /// <summary>dst[j] = src[j] for j &lt; nr (32 or 16): a copy of constant size, which the JIT unrolls into vector moves
    /// (a variable size would call memmove for every row of the panel).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    static void CopyRow(float* src, float* dst, int nr)
    {
        if (nr == 32) Unsafe.CopyBlockUnaligned(dst, src, 32 * sizeof(float));
        else if (nr == 16) Unsafe.CopyBlockUnaligned(dst, src, 16 * sizeof(float));
        else Unsafe.CopyBlockUnaligned(dst, src, (uint)(nr * sizeof(float)));
    }
}
