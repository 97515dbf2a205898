using System.Runtime.InteropServices;
using SkiaSharp;

namespace IlgpuVq.Data;

/// <summary>Decodes JPEG and PNG files with SkiaSharp and turns them into square RGB images.</summary>
public static class ImageDecoder
{
    /// <summary>
    /// Decodes a file, center-crops and resizes it to <c>size × size</c> RGB (see <see cref="SquareResizer"/>).
    /// Returns false with a short reason for empty, unreadable, non-image, corrupt or truncated files, and, from the
    /// header alone before any pixel is decoded, for images of more than <paramref name="maxPixels"/> pixels.
    /// Large JPEGs are decoded at a reduced scale by the codec (never below twice the target size), which is faster
    /// and bounds memory. Every source format becomes 8-bit RGB: grey, 16-bit, palette and CMYK through the codec's
    /// conversion, and transparency composited on black (the colour is premultiplied by alpha).
    /// </summary>
    public static bool TryDecodeSquare(string path, int size, long maxPixels, Span<byte> rgbOut, out string? error)
    {
        error = null;
        try
        {
            using var stream = File.OpenRead(path);
            if (stream.Length == 0) { error = "empty file (0 bytes)"; return false; }
            using var codec = SKCodec.Create(stream, out var result);
            if (codec is null) { error = result == SKCodecResult.IncompleteInput ? "truncated image" : $"not an image ({result})"; return false; }
            var full = codec.Info;
            if (full.Width <= 0 || full.Height <= 0) { error = "empty image"; return false; }
            var declared = (long)full.Width * full.Height;
            if (declared > maxPixels)
            {
                error = $"{full.Width}×{full.Height} = {declared / 1e6:0.#} megapixels, above the pixel limit of {maxPixels / 1e6:0.#} " +
                        "megapixels (--max-pixels)";
                return false;
            }
            var scale = Math.Min(1f, 2f * size / Math.Min(full.Width, full.Height));
            var dims = scale < 1 ? codec.GetScaledDimensions(scale) : new SKSizeI(full.Width, full.Height);
            if (dims.Width <= 0 || dims.Height <= 0) dims = new SKSizeI(full.Width, full.Height);
            var info = new SKImageInfo(dims.Width, dims.Height, SKColorType.Rgba8888, SKAlphaType.Premul);
            if (info.BytesSize64 > Array.MaxLength) { error = $"{dims.Width}×{dims.Height} is too large to decode"; return false; }
            var pixels = new byte[info.BytesSize64];
            var handle = GCHandle.Alloc(pixels, GCHandleType.Pinned);
            try
            {
                result = codec.GetPixels(info, handle.AddrOfPinnedObject());
            }
            finally { handle.Free(); }
            if (result != SKCodecResult.Success)
            {
                error = result == SKCodecResult.IncompleteInput ? "truncated image" : $"corrupt image ({result})";
                return false;
            }
            SquareResizer.CenterCropResize(pixels, info.Width, info.Height, 4, info.RowBytes, size, rgbOut);
            return true;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException or OutOfMemoryException)
        {
            error = $"unreadable ({e.Message})";
            return false;
        }
    }

    /// <summary>Encodes an RGB (HWC) image as JPEG or PNG (by the file extension) and writes it.</summary>
    public static void SaveRgb(string path, ReadOnlySpan<byte> rgbHWC, int width, int height, int jpegQuality = 92)
    {
        using var bitmap = RgbToBitmap(rgbHWC, width, height);
        var png = path.EndsWith(".png", StringComparison.OrdinalIgnoreCase);
        using var data = bitmap.Encode(png ? SKEncodedImageFormat.Png : SKEncodedImageFormat.Jpeg, png ? 100 : jpegQuality);
        using var file = File.Create(path);
        data.SaveTo(file);
    }

    /// <summary>An opaque RGBA bitmap from RGB bytes (HWC).</summary>
    public static SKBitmap RgbToBitmap(ReadOnlySpan<byte> rgbHWC, int width, int height)
    {
        var bitmap = new SKBitmap(new SKImageInfo(width, height, SKColorType.Rgba8888, SKAlphaType.Opaque));
        var dst = bitmap.GetPixelSpan();
        var stride = bitmap.RowBytes;
        for (var y = 0; y < height; y++)
        for (var x = 0; x < width; x++)
        {
            var s = (y * width + x) * 3;
            var d = y * stride + x * 4;
            dst[d] = rgbHWC[s];
            dst[d + 1] = rgbHWC[s + 1];
            dst[d + 2] = rgbHWC[s + 2];
            dst[d + 3] = 255;
        }
        return bitmap;
    }
}
