using System.Runtime.Intrinsics;

namespace IlgpuVq.Engine.Native;

/// <summary>Ordered float row sums, one parallel work item per block of rows (the kernels' one-thread-per-row sums).</summary>
public static unsafe class RowSums
{
    /// <summary>Rows per parallel work item.</summary>
    const int RowsPerBlock = 16;

    /// <summary>
    /// y[r] = (Σ_j x[r·len + j], j ascending, in float from 0) · scale for r &lt; rows. Eight rows at a time, one per lane: each
    /// 8 × 8 block of them is transposed (<see cref="Transpose8"/>) and its columns added in order, so every lane adds its row's
    /// elements one by one in ascending j as the scalar loop does (the same bits), but eight sums advance per add instead of
    /// one chain of dependent adds.
    /// </summary>
    public static void Ordered(float* x, int rows, int len, float scale, float* y) =>
        NativeParallel.ForBlocks(rows, RowsPerBlock, (start, end) =>
        {
            long r = start;
            float* block = stackalloc float[64];
            for (; r + 8 <= end && len >= 8; r += 8)
            {
                float* first = x + r * len;
                var acc = Vector256<float>.Zero;
                int j = 0;
                for (; j + 8 <= len; j += 8)
                {
                    Transpose8.Block(first + j, len, block, 8);
                    for (int c = 0; c < 8; c++) acc += Vector256.Load(block + 8 * c);
                }
                acc.Store(block);
                for (int lane = 0; lane < 8; lane++)
                {
                    float sum = block[lane];
                    float* row = first + (long)lane * len;
                    for (int t = j; t < len; t++) sum += row[t];
                    y[r + lane] = sum * scale;
                }
            }
            for (; r < end; r++)
            {
                float* row = x + r * len;
                float acc = 0f;
                for (int j = 0; j < len; j++) acc += row[j];
                y[r] = acc * scale;
            }
        });
}
