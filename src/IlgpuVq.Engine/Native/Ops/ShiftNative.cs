using ILGPU;
using IlgpuVq.Kernels;
using IlgpuVq.Engine.Ops;
using V = ILGPU.ArrayView<float>;

namespace IlgpuVq.Engine.Native;

/// <summary>
/// Native spatial shifts with zero fill (<see cref="ShiftKernels"/>): whole rows copied or zeroed with span copies, in
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
        NativeParallel.ForBlocks(rows, RowsPerBlock, (start, end) =>
        {
            for (long r = start; r < end; r++)
            {
                long src = r % height - shift;
                var to = new Span<float>(py + r * width, width);
                if (src >= 0 && src < height) new ReadOnlySpan<float>(px + (r - shift) * width, width).CopyTo(to);
                else to.Clear();
            }
        });
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
