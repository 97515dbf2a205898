using SkiaSharp;

namespace IlgpuVq.Data.Tests;

public class FigureTests
{
    [Fact]
    public void ImageGrid_lays_out_rows_and_columns_with_the_images_colours()
    {
        using var tmp = new TempDir();
        const int s = 4;
        var images = Enumerable.Range(0, 5).Select(i =>
        {
            var f = Enumerable.Repeat(-1f, 3 * s * s).ToArray();
            if (i == 0) Array.Fill(f, 1f, 0, s * s);              // image 0 red, others black
            return f;
        }).ToList();
        var path = tmp.Sub("grid.png");
        ImageGrid.Save(path, images, s, cols: 3, scale: 2, padding: 1);
        using var bmp = SKBitmap.Decode(path);
        Assert.Equal(3 * 8 + 4 * 1, bmp.Width);
        Assert.Equal(2 * 8 + 3 * 1, bmp.Height);
        Assert.Equal(new SKColor(255, 0, 0), bmp.GetPixel(2, 2));
        Assert.Equal(new SKColor(0, 0, 0), bmp.GetPixel(1 + 8 + 1 + 2, 2));
        Assert.Equal(SKColors.White, bmp.GetPixel(bmp.Width - 3, bmp.Height - 3));   // empty sixth cell

        ImageGrid.Save(tmp.Sub("labels.png"), images, s, cols: 3, rowLabels: ["first", "second"]);
        using var labeled = SKBitmap.Decode(tmp.Sub("labels.png"));
        Assert.True(labeled.Width > 3 * s + 4 * 2);
        Assert.Throws<ArgumentException>(() => ImageGrid.Save(tmp.Sub("bad.png"), new float[7], s, 2));
    }

    [Fact]
    public void LinePlot_and_class_distribution_write_pngs_of_the_requested_size()
    {
        using var tmp = new TempDir();
        var loss = tmp.Sub("plots", "loss.png");
        LinePlot.Save(loss, [new PlotSeries("train", [0, 1, 2, 3], [2.0, 1.2, 0.9, 0.8]), new PlotSeries("test", [0, 1, 2, 3], [2.1, 1.4, 1.1, 1.05])],
            "loss", logY: true, width: 640, height: 400);
        using (var bmp = SKBitmap.Decode(loss)) Assert.Equal((640, 400), (bmp.Width, bmp.Height));
        Assert.Throws<ArgumentException>(() => LinePlot.Save(tmp.Sub("x.png"), [new PlotSeries("bad", [0, 1], [1.0])]));

        var bars = tmp.Sub("classes.png");
        ClassDistributionPlot.Save(bars, LesionClasses.Names, [8, 12, 26, 3, 27, 161, 3], [2, 3, 7, 1, 6, 40, 1], width: 700, height: 350);
        using (var bmp = SKBitmap.Decode(bars)) Assert.Equal((700, 350), (bmp.Width, bmp.Height));
    }

    [Fact]
    public void AugmentedGrid_shows_each_image_plain_and_augmented()
    {
        using var tmp = new TempDir();
        using var ds = new SyntheticLesionDataset(30, 16, seed: 1);
        var path = tmp.Sub("aug.png");
        AugmentedGrid.Save(path, ds, Enumerable.Range(0, 30).ToArray(), seed: 2, AugmentOptions.Default, rows: 3, cols: 4);
        using var bmp = SKBitmap.Decode(path);
        var cell = 16 * 8;   // 16 px images are scaled by 8
        Assert.InRange(bmp.Height, 3 * cell, 3 * cell + 20);
        Assert.InRange(bmp.Width, 4 * cell + 10, 4 * cell + 200);
    }

    [Fact]
    public void Csv_reader_handles_quotes_bom_and_crlf()
    {
        using var tmp = new TempDir();
        var path = tmp.Sub("q.csv");
        File.WriteAllText(path, "\uFEFFimage_id,lesion_id,dx\r\n\"ISIC_1\",\"HAM,1\",nv\r\nISIC_2,\"say \"\"hi\"\"\",mel\r\n");
        var t = CsvTable.Read(path);
        Assert.Equal(["image_id", "lesion_id", "dx"], t.Header);
        Assert.Equal(2, t.Rows.Count);
        Assert.Equal("HAM,1", t.Rows[0][1]);
        Assert.Equal("say \"hi\"", t.Rows[1][1]);
    }
}
