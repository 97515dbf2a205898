namespace IlgpuVq.Data.Tests;

/// <summary>torchvision's ImageFolder layout: classes from folder names, optionally under a given train/test split.</summary>
public class ImageFolderTests
{
    static void Images(string folder, int count, int seed, string ext = ".png")
    {
        for (var i = 0; i < count; i++)
            Fixtures.WriteImage(Path.Combine(folder, $"img{i}{ext}"), Fixtures.Pattern(12, 10, seed + i), 12, 10);
    }

    [Fact]
    public void Class_folders_are_detected_with_sorted_class_names_and_nested_images()
    {
        using var tmp = new TempDir();
        Images(tmp.Sub("d", "malignant"), 3, 0, ".jpg");
        Images(tmp.Sub("d", "benign"), 2, 10);
        Images(tmp.Sub("d", "benign", "site-2"), 2, 20, ".jpeg");   // nested below a class folder: still benign
        Images(tmp.Sub("d", "Atypical"), 1, 30);
        Fixtures.WriteImage(tmp.Sub("d", "loose.png"), Fixtures.Pattern(12, 10, 40), 12, 10);   // in no class folder
        using var ds = DatasetLoader.Open(tmp.Sub("d"), Fixtures.Options(tmp));

        Assert.Equal(DatasetLayout.ImageFolder, ds.Report.Layout);
        Assert.Equal(["Atypical", "benign", "malignant"], ds.ClassNames);   // ordinal sort, as torchvision's sorted()
        Assert.Equal(8, ds.Count);
        var labels = Fixtures.ClassByImage(ds);
        Assert.Equal("benign", labels["benign/site-2/img1"]);
        Assert.Equal("malignant", labels["malignant/img2"]);
        Assert.Equal("Atypical", labels["Atypical/img0"]);
        Assert.Equal(1, ds.Report.Unlisted.Count);
        Assert.Contains("loose.png", ds.Report.Unlisted.Examples[0]);
        Assert.Null(ds.Report.GivenSplit);
        Assert.Equal(["Atypical (1)"], ds.RareClasses());
    }

    [Fact]
    public void Train_and_test_folders_are_a_given_split_that_seed_and_test_size_do_not_change()
    {
        using var tmp = new TempDir();
        Images(tmp.Sub("d", "train", "benign"), 4, 0);
        Images(tmp.Sub("d", "train", "malignant"), 3, 10);
        Images(tmp.Sub("d", "test", "benign"), 2, 20);
        Images(tmp.Sub("d", "test", "malignant"), 1, 30);
        Images(tmp.Sub("d", "extra"), 1, 40);                          // outside train/ and test/
        using var ds = DatasetLoader.Open(tmp.Sub("d"), Fixtures.Options(tmp));

        Assert.Equal(DatasetLayout.ImageFolder, ds.Report.Layout);
        Assert.Equal(["benign", "malignant"], ds.ClassNames);
        Assert.Equal("train/ and test/ folders", ds.Report.GivenSplit);
        Assert.Equal(10, ds.Count);
        Assert.Contains("extra/img0.png", ds.Report.Unlisted.Examples[0]);

        var a = DataSplit.Create(ds, TestSize.Default, seed: 0);
        var b = DataSplit.Create(ds, TestSize.Of(0.5), seed: 7);
        Assert.True(a.IsGiven);
        Assert.Equal(a.Test, b.Test);
        Assert.Equal(3, a.Test.Length);
        Assert.All(a.Test, i => Assert.StartsWith("test/", ds.ImageId(i)));
        Assert.All(a.Train, i => Assert.StartsWith("train/", ds.ImageId(i)));
        Assert.Equal([2, 1], DataSplit.CountByClass(ds, a.Test));

        var csv = tmp.Sub("split.csv");
        a.WriteCsv(csv);
        var lines = File.ReadAllLines(csv);
        Assert.EndsWith("split_source", lines[0]);
        Assert.All(lines.Skip(1), l => Assert.EndsWith(",given by the train/ and test/ folders", l));
        Assert.Equal(a.Source, DataSplit.ReadCsv(csv, ds).Source);   // a resumed run keeps saying where the split came from
    }

    [Fact]
    public void Val_is_the_test_set_without_test_and_joins_training_beside_test()
    {
        using var tmp = new TempDir();
        Images(tmp.Sub("v", "train", "a"), 2, 0);
        Images(tmp.Sub("v", "train", "b"), 2, 5);
        Images(tmp.Sub("v", "val", "a"), 1, 10);
        using (var ds = DatasetLoader.Open(tmp.Sub("v"), Fixtures.Options(tmp)))
        {
            Assert.Equal("train/ and val/ folders", ds.Report.GivenSplit);
            var split = DataSplit.Create(ds, TestSize.Default, 0);
            Assert.Equal(["val/a/img0"], split.Test.Select(ds.ImageId));
        }
        Images(tmp.Sub("v", "test", "b"), 1, 20);
        using (var ds = DatasetLoader.Open(tmp.Sub("v"), Fixtures.Options(tmp)))
        {
            Assert.Equal("train/ + val/ and test/ folders", ds.Report.GivenSplit);
            var split = DataSplit.Create(ds, TestSize.Default, 0);
            Assert.Equal(["test/b/img0"], split.Test.Select(ds.ImageId));
            Assert.Contains("val/a/img0", split.Train.Select(ds.ImageId));
        }
    }

    [Fact]
    public void Release_image_folders_and_a_single_subfolder_stay_unlabeled()
    {
        using var tmp = new TempDir();
        Images(tmp.Sub("ham", "HAM10000_images_part1"), 2, 0, ".jpg");
        Images(tmp.Sub("ham", "HAM10000_images_part2"), 2, 5, ".jpg");
        using (var ds = DatasetLoader.Open(tmp.Sub("ham"), Fixtures.Options(tmp)))
            Assert.Equal(DatasetLayout.UnlabeledFolder, ds.Report.Layout);
        Images(tmp.Sub("one", "photos"), 3, 0);
        using (var ds = DatasetLoader.Open(tmp.Sub("one"), Fixtures.Options(tmp)))
            Assert.Equal(DatasetLayout.UnlabeledFolder, ds.Report.Layout);
        Images(tmp.Sub("split", "train"), 2, 0);                      // train/ and test/ without class folders
        Images(tmp.Sub("split", "test"), 2, 0);
        using (var ds = DatasetLoader.Open(tmp.Sub("split"), Fixtures.Options(tmp)))
            Assert.Equal(DatasetLayout.UnlabeledFolder, ds.Report.Layout);
    }

    [Fact]
    public void A_hundred_and_five_classes_load_split_and_plot_and_rare_ones_are_reported()
    {
        using var tmp = new TempDir();
        const int classes = 105;
        for (var c = 0; c < classes; c++) Images(tmp.Sub("many", $"class_{c:D3}"), c % 7 == 0 ? 1 : 2, c);
        using var ds = DatasetLoader.Open(tmp.Sub("many"), Fixtures.Options(tmp, size: 8));
        Assert.Equal(classes, ds.ClassNames.Count);
        Assert.Equal("class_104", ds.ClassNames[^1]);
        Assert.Equal(15, ds.RareClasses().Count);                     // classes 0, 7, ..., 98 have one image
        Assert.Contains("class_007 (1)", ds.RareClasses());
        var split = DataSplit.Create(ds, TestSize.Of(0.3), seed: 1);
        var train = DataSplit.CountByClass(ds, split.Train);
        var test = DataSplit.CountByClass(ds, split.Test);
        Assert.Equal(ds.Count, train.Sum() + test.Sum());
        // Equal-sized classes share the test images in a seeded order, not by class index (which would take them all from the first classes).
        Assert.Contains(Enumerable.Range(75, classes - 75), c => test[c] > 0);
        var png = tmp.Sub("bars.png");
        ClassDistributionPlot.Save(png, ds.ClassNames, train, test);
        using var bmp = SkiaSharp.SKBitmap.Decode(png);
        Assert.True(bmp.Width >= 24 * classes, $"{classes} classes on a {bmp.Width} px wide chart");
    }
}
