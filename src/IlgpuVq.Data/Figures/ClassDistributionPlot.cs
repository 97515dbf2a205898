using ScottPlot;

namespace IlgpuVq.Data;

/// <summary>A grouped bar chart of images per class in the training and test sets (ScottPlot).</summary>
public static class ClassDistributionPlot
{
    /// <summary>Above this many classes the bars carry no value labels and the class names are turned upright.</summary>
    public const int LabelledClasses = 12;

    /// <summary>
    /// Saves the chart; <paramref name="train"/> and <paramref name="test"/> are counts per class. The figure grows
    /// with the number of classes (at least <paramref name="width"/> wide, 24 px per class) so that 100+ classes stay legible.
    /// </summary>
    public static void Save(string path, IReadOnlyList<string> classNames, IReadOnlyList<int> train, IReadOnlyList<int> test,
                            string title = "Images per class", int width = 900, int height = 500)
    {
        var many = classNames.Count > LabelledClasses;
        var labelPixels = 7 * Math.Min(40, classNames.Count == 0 ? 0 : classNames.Max(n => n.Length)) + 16;
        if (many)
        {
            width = Math.Max(width, 120 + 24 * classNames.Count);
            height += labelPixels;
        }
        if (train.Count != classNames.Count || test.Count != classNames.Count)
            throw new ArgumentException("one train and one test count per class expected");
        FigureFonts.ConfigureScottPlot();
        var plot = new Plot();
        var trainColor = Color.FromHex("#4C72B0");
        var testColor = Color.FromHex("#DD8452");
        var bars = new List<Bar>();
        for (var c = 0; c < classNames.Count; c++)
        {
            bars.Add(new Bar { Position = c * 3, Value = train[c], FillColor = trainColor, Label = many ? "" : train[c].ToString() });
            bars.Add(new Bar { Position = c * 3 + 1, Value = test[c], FillColor = testColor, Label = many ? "" : test[c].ToString() });
        }
        var plottable = plot.Add.Bars(bars);
        plottable.ValueLabelStyle.FontSize = 11;
        var ticks = classNames.Select((_, c) => c * 3 + 0.5).ToArray();
        plot.Axes.Bottom.TickGenerator = new ScottPlot.TickGenerators.NumericManual(ticks, classNames.ToArray());
        plot.Axes.Bottom.MajorTickStyle.Length = 0;
        if (many)
        {
            plot.Axes.Bottom.TickLabelStyle.Rotation = -90;
            plot.Axes.Bottom.TickLabelStyle.Alignment = Alignment.MiddleRight;
            plot.Axes.Bottom.MinimumSize = labelPixels;
        }
        plot.Axes.Margins(bottom: 0, top: 0.12);
        plot.Legend.ManualItems.Add(new LegendItem { LabelText = $"train ({train.Sum()})", FillColor = trainColor });
        plot.Legend.ManualItems.Add(new LegendItem { LabelText = $"test ({test.Sum()})", FillColor = testColor });
        plot.ShowLegend(Alignment.UpperLeft);
        plot.Title(title);
        plot.YLabel("images");
        LinePlot.Save(plot, path, width, height);
    }
}
