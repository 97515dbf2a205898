using SkiaSharp;

namespace IlgpuVq.Data;

/// <summary>
/// A confusion matrix as a PNG (SkiaSharp): rows are true classes, columns predicted ones; each cell shows its count
/// and is shaded by its share of the row (the row's recall on the diagonal). <paramref name="footer"/> goes below.
/// </summary>
public static class ConfusionMatrixFigure
{
    public static void Save(string path, IReadOnlyList<string> classNames, int[,] confusion, string title, string footer)
    {
        int k = classNames.Count;
        const int cell = 56, margin = 16;
        using var font = new SKFont(FigureFonts.Typeface, 14);
        using var small = new SKFont(FigureFonts.Typeface, 13);
        float labelWidth = classNames.Max(n => font.MeasureText(n)) + 12;
        int left = (int)(margin + 20 + labelWidth), top = margin + 60, width = left + k * cell + margin, height = top + k * cell + 26 + 20 + margin;
        using var bitmap = new SKBitmap(new SKImageInfo(width, height, SKColorType.Rgba8888, SKAlphaType.Opaque));
        using (var canvas = new SKCanvas(bitmap))
        using (var ink = new SKPaint { Color = SKColors.Black, IsAntialias = true })
        using (var fill = new SKPaint { Style = SKPaintStyle.Fill })
        {
            canvas.Clear(SKColors.White);
            canvas.DrawText(title, width / 2f, margin + 14, SKTextAlign.Center, font, ink);
            canvas.DrawText("predicted class", left + k * cell / 2f, top - 26, SKTextAlign.Center, small, ink);
            for (int r = 0; r < k; r++)
            {
                int row = 0;
                for (int p = 0; p < k; p++) row += confusion[r, p];
                for (int p = 0; p < k; p++)
                {
                    double share = row == 0 ? 0 : (double)confusion[r, p] / row;
                    byte shade = (byte)(255 - 200 * share);
                    fill.Color = new SKColor(shade, shade, 255);
                    var rect = new SKRect(left + p * cell, top + r * cell, left + (p + 1) * cell - 1, top + (r + 1) * cell - 1);
                    canvas.DrawRect(rect, fill);
                    ink.Color = share > 0.6 ? SKColors.White : SKColors.Black;
                    canvas.DrawText(confusion[r, p].ToString(System.Globalization.CultureInfo.InvariantCulture), rect.MidX, rect.MidY + 5, SKTextAlign.Center, font, ink);
                    ink.Color = SKColors.Black;
                }
                canvas.DrawText(classNames[r], left - 6, top + r * cell + cell / 2f + 5, SKTextAlign.Right, font, ink);
                canvas.DrawText(classNames[r], left + r * cell + cell / 2f, top - 6, SKTextAlign.Center, small, ink);
            }
            canvas.Save();
            canvas.RotateDegrees(-90, margin + 10, top + k * cell / 2f);
            canvas.DrawText("true class", margin + 10, top + k * cell / 2f + 5, SKTextAlign.Center, small, ink);
            canvas.Restore();
            canvas.DrawText(footer, width / 2f, top + k * cell + 26, SKTextAlign.Center, small, ink);
        }
        ImageGrid.Write(bitmap, path);
    }
}
