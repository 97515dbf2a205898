namespace IlgpuVq.Engine.Native;

/// <summary>Ordered float row sums, one parallel work item per block of rows (the kernels' one-thread-per-row sums).</summary>
public static unsafe class RowSums
{
    /// <summary>Rows per parallel work item.</summary>
    const int RowsPerBlock = 16;

    /// <summary>y[r] = (Σ_j x[r·len + j], j ascending, in float from 0) · scale for r &lt; rows.</summary>
    public static void Ordered(float* x, int rows, int len, float scale, float* y) =>
        NativeParallel.ForBlocks(rows, RowsPerBlock, (start, end) =>
        {
            for (long r = start; r < end; r++)
            {
                float* row = x + r * len;
                float acc = 0f;
                for (int j = 0; j < len; j++) acc += row[j];
                y[r] = acc * scale;
            }
        });
}
