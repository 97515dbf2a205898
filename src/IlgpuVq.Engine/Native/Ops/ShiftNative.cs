using ILGPU;
using IlgpuVq.Kernels;
using IlgpuVq.Engine.Ops;
using V = ILGPU.ArrayView<float>;

namespace IlgpuVq.Engine.Native;

/// <summary>
/// Native spatial shifts with zero fill (<see cref="ShiftKernels"/>): runs of whole rows copied or zeroed with span copies, in
/// parallel over fixed groups of rows. Pure copies, so results equal the kernels' bit for bit.
/// </summary>
public static unsafe class ShiftNative
{
    /// <summary>Rows per parallel work item.</summary>
    const int RowsPerBlock = 256;

    internal static void Register(NativeRegistry r)
    {
        r.Add(Shift.RowsKernel, ShiftRows);
        r.Add(Shift.ColsKernel, ShiftColumns);
    }

    /// <summary>y[p, i, :] = x[p, i − shift, :] when 0 ≤ i − shift &lt; height, else 0; y holds planes·height·width values.</summary>
    public static void ShiftRows(Index1D thread, int total, int stride, V x, V y, int height, int width, int shift)
    {
        float* px = NativeView.Ptr(x), py = NativeView.Ptr(y);
        long rows = y.Length / width; // from the view, not from total (the launch contract)
        // Output rows i of a plane with 0 ≤ i − shift < height are [keptFrom, keptTo): within a block, each plane's rows are at
        // most three contiguous runs (zeros, one copy, zeros), each one span operation instead of one per row.
        long keptFrom = Math.Clamp(shift, 0, height), keptTo = Math.Clamp(height + (long)shift, 0, height);
        NativeParallel.ForBlocks(rows, RowsPerBlock, (start, end) =>
        {
            for (long r = start; r < end;)
            {
                long plane = r / height, first = plane * height, last = Math.Min(end, first + height); // rows [r, last) of this plane
                long copyFrom = Math.Clamp(first + keptFrom, r, last), copyTo = Math.Clamp(first + keptTo, copyFrom, last);
                int copied = checked((int)((copyTo - copyFrom) * width));
                Zero(py, r, copyFrom, width);
                new ReadOnlySpan<float>(px + (copyFrom - shift) * width, copied).CopyTo(new Span<float>(py + copyFrom * width, copied));
                Zero(py, copyTo, last, width);
                r = last;
            }
        });
    }

    /// <summary>Rows [from, to) of y (width floats each) set to zero.</summary>
    static void Zero(float* y, long from, long to, int width)
    {
        if (to > from) new Span<float>(y + from * width, checked((int)((to - from) * width))).Clear();
    }

    /// <summary>y[p, i, j] = x[p, i, j − shift] when 0 ≤ j − shift &lt; width, else 0; y holds rows·width values.</summary>
    public static void ShiftColumns(Index1D thread, int total, int stride, V x, V y, int width, int shift)
    {
        float* px = NativeView.Ptr(x), py = NativeView.Ptr(y);
        long rows = y.Length / width; // from the view, not from total (the launch contract)
        int s = Math.Clamp(shift, -width, width), kept = width - Math.Abs(s);
        NativeParallel.ForBlocks(rows, RowsPerBlock, (start, end) =>
        {
            for (long r = start; r < end; r++)
            {
                float* row = py + r * width, from = px + r * width;
                if (s >= 0)
                {
                    new Span<float>(row, s).Clear();
                    new ReadOnlySpan<float>(from, kept).CopyTo(new Span<float>(row + s, kept));
                }
                else
                {
                    new ReadOnlySpan<float>(from - s, kept).CopyTo(new Span<float>(row, kept));
                    new Span<float>(row + kept, -s).Clear();
                }
            }
        });
    }
}
