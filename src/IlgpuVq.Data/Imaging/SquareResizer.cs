namespace IlgpuVq.Data;

/// <summary>
/// Center-crops an image to a square and resizes it to <c>size × size</c>.
/// </summary>
/// <remarks>
/// <para><b>Aspect ratio.</b> Dermoscopic images are 4:3 (HAM10000: 600×450) with the lesion near the centre, so the
/// longer side is cropped symmetrically to the shorter one (600×450 → the central 450×450) instead of
/// letterboxing (which would add black bars the generative model would have to learn) or stretching (which
/// distorts lesion shape, a diagnostic feature). Only the image margins, mostly skin, are lost.</para>
/// <para><b>Filter.</b> Downscaling uses an exact area (box) filter — each output pixel is the coverage-weighted mean
/// of the source pixels under it, like OpenCV's INTER_AREA — which does not alias fine structures such as hair
/// or pigment network. Upscaling (source smaller than the target) uses bilinear interpolation. Both are separable,
/// computed in floating point and rounded once, and do not depend on the SkiaSharp version.</para>
/// </remarks>
public static class SquareResizer
{
    /// <summary>
    /// Resizes the central square of an image with <paramref name="channelsIn"/> interleaved 8-bit channels
    /// (3 = RGB, 4 = RGBA, alpha ignored) to an RGB <c>size × size</c> image (HWC).
    /// </summary>
    public static void CenterCropResize(ReadOnlySpan<byte> src, int width, int height, int channelsIn, int rowStride,
                                        int size, Span<byte> rgbOut)
    {
        if (width <= 0 || height <= 0) throw new ArgumentException("empty image");
        if (channelsIn < 3) throw new ArgumentException("need at least 3 channels", nameof(channelsIn));
        if (rgbOut.Length < size * size * 3) throw new ArgumentException("output too small", nameof(rgbOut));
        var side = Math.Min(width, height);
        int x0 = (width - side) / 2, y0 = (height - side) / 2;
        var wx = Weights(side, size);
        var wy = Weights(side, size);

        // Horizontal pass over the rows of the crop: side rows × size columns × 3.
        var tmp = new float[side * size * 3];
        for (var y = 0; y < side; y++)
        {
            var row = src.Slice((y0 + y) * rowStride);
            for (var ox = 0; ox < size; ox++)
            {
                var (start, w) = wx[ox];
                float r = 0, g = 0, b = 0;
                for (var k = 0; k < w.Length; k++)
                {
                    var p = (x0 + start + k) * channelsIn;
                    r += w[k] * row[p];
                    g += w[k] * row[p + 1];
                    b += w[k] * row[p + 2];
                }
                var o = (y * size + ox) * 3;
                tmp[o] = r; tmp[o + 1] = g; tmp[o + 2] = b;
            }
        }
        // Vertical pass.
        for (var oy = 0; oy < size; oy++)
        {
            var (start, w) = wy[oy];
            for (var ox = 0; ox < size; ox++)
            for (var c = 0; c < 3; c++)
            {
                float v = 0;
                for (var k = 0; k < w.Length; k++) v += w[k] * tmp[((start + k) * size + ox) * 3 + c];
                rgbOut[(oy * size + ox) * 3 + c] = (byte)Math.Clamp(MathF.Round(v), 0, 255);
            }
        }
    }

    /// <summary>Per output index: first source index and normalised weights (area filter down, bilinear up).</summary>
    internal static (int Start, float[] W)[] Weights(int srcLen, int dstLen)
    {
        var result = new (int, float[])[dstLen];
        var scale = (double)srcLen / dstLen;
        for (var o = 0; o < dstLen; o++)
        {
            if (scale >= 1)
            {
                double a = o * scale, b = (o + 1) * scale;
                int first = (int)Math.Floor(a), last = Math.Min(srcLen - 1, (int)Math.Ceiling(b) - 1);
                var w = new float[last - first + 1];
                for (var s = first; s <= last; s++) w[s - first] = (float)((Math.Min(b, s + 1) - Math.Max(a, s)) / scale);
                result[o] = (first, w);
            }
            else
            {
                var centre = (o + 0.5) * scale - 0.5;
                var i0 = (int)Math.Floor(centre);
                var f = (float)(centre - i0);
                int lo = Math.Clamp(i0, 0, srcLen - 1), hi = Math.Clamp(i0 + 1, 0, srcLen - 1);
                result[o] = lo == hi ? (lo, [1f]) : (lo, [1 - f, f]);
            }
        }
        return result;
    }
}
