using SkiaSharp;

namespace IlgpuVq.Data;

/// <summary>The font of all figures: DejaVu Sans when installed, else the platform default.</summary>
internal static class FigureFonts
{
    public const string Family = "DejaVu Sans";
    static readonly Lazy<SKTypeface> Sans = new(() => SKTypeface.FromFamilyName(Family) ?? SKTypeface.Default);
    static int _configured;

    public static SKTypeface Typeface => Sans.Value;

    /// <summary>Points ScottPlot at DejaVu Sans (once per process), so figures render the same everywhere it exists.</summary>
    public static void ConfigureScottPlot()
    {
        if (Interlocked.Exchange(ref _configured, 1) != 0) return;
        if (SKTypeface.FromFamilyName(Family) is { } t && t.FamilyName == Family) ScottPlot.Fonts.Default = Family;
    }
}
