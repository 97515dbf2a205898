using SkiaSharp;

namespace IlgpuVq.Data;

/// <summary>
/// Writes a PNG grid of images given as NCHW floats in [−1, 1] (the layout of batches and of model outputs), with
/// optional per-row labels in a left margin — used for augmented samples, reconstructions and generated samples.
/// </summary>
public static class ImageGrid
{
    /// <summary>
    /// Saves <c>nchw.Length / (3·imageSize²)</c> images, <paramref name="cols"/> per row (rows = ceiling), each scaled
    /// by an integer <paramref name="scale"/> (nearest neighbour, so pixels stay visible), separated by
    /// <paramref name="padding"/> white pixels. Values are clamped to [−1, 1]. Row labels, when given, are drawn to the left.
    /// </summary>
    public static void Save(string path, ReadOnlySpan<float> nchw, int imageSize, int cols,
                            IReadOnlyList<string>? rowLabels = null, int scale = 1, int padding = 2)
    {
        var chw = 3 * imageSize * imageSize;
        if (imageSize <= 0 || cols <= 0 || scale <= 0 || padding < 0) throw new ArgumentException("image size, cols and scale must be positive");
        if (nchw.Length == 0 || nchw.Length % chw != 0)
            throw new ArgumentException($"expected a whole number of 3×{imageSize}×{imageSize} images, got {nchw.Length} floats", nameof(nchw));
        var count = nchw.Length / chw;
        var rows = (count + cols - 1) / cols;
        var cell = imageSize * scale;
        using var font = new SKFont(FigureFonts.Typeface, Math.Clamp(cell * 0.22f, 11, 18));
        var labelWidth = rowLabels is { Count: > 0 } ? (int)Math.Ceiling(rowLabels.Max(l => font.MeasureText(l))) + 2 * padding + 6 : 0;
        var width = labelWidth + cols * cell + (cols + 1) * padding;
        var height = rows * cell + (rows + 1) * padding;

        using var bitmap = new SKBitmap(new SKImageInfo(width, height, SKColorType.Rgba8888, SKAlphaType.Opaque));
        using (var canvas = new SKCanvas(bitmap)) canvas.Clear(SKColors.White);
        var pixels = bitmap.GetPixelSpan();
        var stride = bitmap.RowBytes;
        var plane = imageSize * imageSize;
        for (var n = 0; n < count; n++)
        {
            int gx = labelWidth + padding + n % cols * (cell + padding), gy = padding + n / cols * (cell + padding);
            var img = nchw.Slice(n * chw, chw);
            for (var y = 0; y < cell; y++)
            for (var x = 0; x < cell; x++)
            {
                var s = y / scale * imageSize + x / scale;
                var d = (gy + y) * stride + (gx + x) * 4;
                for (var c = 0; c < 3; c++) pixels[d + c] = ToByte(img[c * plane + s]);
                pixels[d + 3] = 255;
            }
        }
        if (labelWidth > 0)
        {
            using var canvas = new SKCanvas(bitmap);
            using var paint = new SKPaint { Color = SKColors.Black, IsAntialias = true };
            for (var r = 0; r < Math.Min(rows, rowLabels!.Count); r++)
                canvas.DrawText(rowLabels[r], padding + 2, padding + r * (cell + padding) + cell / 2f + font.Size * 0.35f, SKTextAlign.Left, font, paint);
        }
        Write(bitmap, path);
    }

    /// <summary>Saves a list of CHW images (each <c>3·imageSize²</c> floats) as a grid.</summary>
    public static void Save(string path, IReadOnlyList<float[]> images, int imageSize, int cols,
                            IReadOnlyList<string>? rowLabels = null, int scale = 1, int padding = 2)
    {
        var chw = 3 * imageSize * imageSize;
        var all = new float[images.Count * chw];
        for (var i = 0; i < images.Count; i++)
        {
            if (images[i].Length != chw) throw new ArgumentException($"image {i} has {images[i].Length} floats, expected {chw}", nameof(images));
            images[i].CopyTo(all, i * chw);
        }
        Save(path, all, imageSize, cols, rowLabels, scale, padding);
    }

    internal static void Write(SKBitmap bitmap, string path)
    {
        var dir = Path.GetDirectoryName(Path.GetFullPath(path));
        if (dir is not null) Directory.CreateDirectory(dir);
        using var data = bitmap.Encode(SKEncodedImageFormat.Png, 100);
        using var file = File.Create(path);
        data.SaveTo(file);
    }

    static byte ToByte(float v) => (byte)Math.Clamp((int)MathF.Round((v * Augmentation.Std + Augmentation.Mean) * 255f), 0, 255);
}
