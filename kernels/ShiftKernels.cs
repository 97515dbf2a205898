using ILGPU;

namespace IlgpuVq.Kernels;

/// <summary>
/// Spatial shifts of NCHW feature maps with zero fill, used by the Gated PixelCNN to keep its vertical stack
/// strictly above and its horizontal stack strictly left of the current pixel. A signed shift covers both
/// directions, so the backward pass of a shift by +a is the same kernel with −a:
/// y[.., i, j] = x[.., i − shift, j] when 0 ≤ i − shift &lt; H, else 0 (rows); likewise for columns.
/// One work item per output element, implicitly grouped.
/// </summary>
public static class ShiftKernels
{
    /// <summary>Row shift: y[p, i, j] = x[p, i − shift, j] or 0 outside; work items x.Length, p = n·C + c.</summary>
    public static void ShiftRows(Index1D thread, int total, int stride, ArrayView<float> x, ArrayView<float> y, int height, int width, int shift)
    {
        for (long item = thread; item < total; item += stride)
        {
            int i = (int)item;
            int row = (i / width) % height;
            int src = row - shift;
            y[i] = src >= 0 && src < height ? x[i - (long)shift * width] : 0f;
        }
    }

    /// <summary>Column shift: y[p, i, j] = x[p, i, j − shift] or 0 outside; work items x.Length.</summary>
    public static void ShiftColumns(Index1D thread, int total, int stride, ArrayView<float> x, ArrayView<float> y, int width, int shift)
    {
        for (long item = thread; item < total; item += stride)
        {
            int i = (int)item;
            int col = i % width;
            int src = col - shift;
            y[i] = src >= 0 && src < width ? x[i - (long)shift] : 0f;
        }
    }
}
