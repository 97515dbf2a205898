using ScottPlot;
using SkiaSharp;

namespace IlgpuVq.Models.Training;

/// <summary>PNG figures: line plots (ScottPlot) and image grids (SkiaSharp).</summary>
public static class Plots
{
    /// <summary>One line per named series of (x, y) points.</summary>
    public static void Lines(string path, string title, string xLabel, string yLabel, IEnumerable<(string Name, double[] X, double[] Y)> series)
    {
        var plot = new Plot();
        foreach (var (name, x, y) in series)
        {
            if (x.Length == 0) continue;
            var line = plot.Add.Scatter(x, y);
            line.LegendText = name;
        }
        plot.Title(title);
        plot.XLabel(xLabel);
        plot.YLabel(yLabel);
        plot.ShowLegend();
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        plot.SavePng(path, 800, 500);
    }

    /// <summary>
    /// Rows of images: <paramref name="rows"/>[r] holds <paramref name="count"/> NCHW RGB images in [−1, 1] of
    /// size <paramref name="size"/>; each row is labelled on the left.
    /// </summary>
    public static void ImageRows(string path, IReadOnlyList<float[]> rows, IReadOnlyList<string> labels, int count, int size, int scale = 0)
    {
        if (scale <= 0) scale = Math.Max(1, 96 / size);
        int cell = size * scale, gap = 2, labelWidth = 110;
        int width = labelWidth + count * (cell + gap), height = rows.Count * (cell + gap);
        using var bitmap = new SKBitmap(width, height);
        using (var canvas = new SKCanvas(bitmap))
        {
            canvas.Clear(SKColors.White);
            using var font = new SKFont(SKTypeface.FromFamilyName("DejaVu Sans"), 13);
            using var paint = new SKPaint { Color = SKColors.Black, IsAntialias = true };
            for (int r = 0; r < rows.Count; r++)
            {
                canvas.DrawText(labels[r], 4, r * (cell + gap) + cell / 2f + 5, font, paint);
                for (int n = 0; n < count; n++)
                    using (var image = ToBitmap(rows[r], n, size))
                        canvas.DrawBitmap(image, SKRect.Create(labelWidth + n * (cell + gap), r * (cell + gap), cell, cell), new SKPaint());
            }
        }
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        using var data = bitmap.Encode(SKEncodedImageFormat.Png, 100);
        using var file = File.Create(path);
        data.SaveTo(file);
    }

    static SKBitmap ToBitmap(float[] images, int n, int size)
    {
        var bitmap = new SKBitmap(size, size);
        int plane = size * size, offset = n * 3 * plane;
        for (int y = 0; y < size; y++)
            for (int x = 0; x < size; x++)
            {
                byte Channel(int c) => (byte)Math.Clamp((int)MathF.Round((images[offset + c * plane + y * size + x] + 1) * 127.5f), 0, 255);
                bitmap.SetPixel(x, y, new SKColor(Channel(0), Channel(1), Channel(2)));
            }
        return bitmap;
    }
}
