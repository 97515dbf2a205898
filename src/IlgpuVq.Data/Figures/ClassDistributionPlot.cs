using ScottPlot;

namespace IlgpuVq.Data;

/// <summary>A grouped bar chart of images per class in the training and test sets (ScottPlot).</summary>
public static class ClassDistributionPlot
{
    /// <summary>Saves the chart; <paramref name="train"/> and <paramref name="test"/> are counts per class.</summary>
    public static void Save(string path, IReadOnlyList<string> classNames, IReadOnlyList<int> train, IReadOnlyList<int> test,
                            string title = "Images per class", int width = 900, int height = 500)
    {
        if (train.Count != classNames.Count || test.Count != classNames.Count)
            throw new ArgumentException("one train and one test count per class expected");
        FigureFonts.ConfigureScottPlot();
        var plot = new Plot();
        var trainColor = Color.FromHex("#4C72B0");
        var testColor = Color.FromHex("#DD8452");
        var bars = new List<Bar>();
        for (var c = 0; c < classNames.Count; c++)
        {
            bars.Add(new Bar { Position = c * 3, Value = train[c], FillColor = trainColor, Label = train[c].ToString() });
            bars.Add(new Bar { Position = c * 3 + 1, Value = test[c], FillColor = testColor, Label = test[c].ToString() });
        }
        var plottable = plot.Add.Bars(bars);
        plottable.ValueLabelStyle.FontSize = 11;
        var ticks = classNames.Select((_, c) => c * 3 + 0.5).ToArray();
        plot.Axes.Bottom.TickGenerator = new ScottPlot.TickGenerators.NumericManual(ticks, classNames.ToArray());
        plot.Axes.Bottom.MajorTickStyle.Length = 0;
        plot.Axes.Margins(bottom: 0, top: 0.12);
        plot.Legend.ManualItems.Add(new LegendItem { LabelText = $"train ({train.Sum()})", FillColor = trainColor });
        plot.Legend.ManualItems.Add(new LegendItem { LabelText = $"test ({test.Sum()})", FillColor = testColor });
        plot.ShowLegend(Alignment.UpperLeft);
        plot.Title(title);
        plot.YLabel("images");
        LinePlot.Save(plot, path, width, height);
    }
}
