namespace IlgpuVq.Data;

/// <summary>A named series of (x, y) points, e.g. epoch vs loss.</summary>
public sealed record PlotSeries(string Name, IReadOnlyList<double> X, IReadOnlyList<double> Y);

/// <summary>Writes a PNG line plot of named series with ScottPlot (loss curves, metrics per epoch).</summary>
public static class LinePlot
{
    /// <summary>
    /// Saves the series as lines with markers and a legend. With <paramref name="logY"/> the y values are plotted as
    /// log10 (non-positive values are dropped) and the axis is labelled accordingly.
    /// </summary>
    public static void Save(string path, IEnumerable<PlotSeries> series, string title = "", string xLabel = "epoch",
                            string yLabel = "value", bool logY = false, int width = 800, int height = 500)
    {
        FigureFonts.ConfigureScottPlot();
        var plot = new ScottPlot.Plot();
        var any = false;
        foreach (var s in series)
        {
            if (s.X.Count != s.Y.Count) throw new ArgumentException($"series {s.Name}: {s.X.Count} x values but {s.Y.Count} y values");
            var points = s.X.Zip(s.Y).Where(p => double.IsFinite(p.First) && double.IsFinite(p.Second) && (!logY || p.Second > 0)).ToArray();
            if (points.Length == 0) continue;
            var line = plot.Add.Scatter(points.Select(p => p.First).ToArray(), points.Select(p => logY ? Math.Log10(p.Second) : p.Second).ToArray());
            line.LegendText = s.Name;
            line.MarkerSize = points.Length > 60 ? 0 : 4;
            any = true;
        }
        if (!any) plot.Add.Text("no data", 0, 0);
        if (title.Length > 0) plot.Title(title);
        plot.XLabel(xLabel);
        plot.YLabel(logY ? $"log10 {yLabel}" : yLabel);
        if (any) plot.ShowLegend();
        Save(plot, path, width, height);
    }

    internal static void Save(ScottPlot.Plot plot, string path, int width, int height)
    {
        var dir = Path.GetDirectoryName(Path.GetFullPath(path));
        if (dir is not null) Directory.CreateDirectory(dir);
        plot.SavePng(path, width, height);
    }
}
