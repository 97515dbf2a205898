namespace IlgpuVq.Data.Tests;

public class LayoutTests
{
    [Fact]
    public void Ham10000_is_detected_and_labels_and_lesions_come_from_the_csv()
    {
        using var tmp = new TempDir();
        Fixtures.WriteHam(tmp.Sub("ham"));
        using var ds = DatasetLoader.Open(tmp.Sub("ham"), Fixtures.Options(tmp));
        Assert.Equal(DatasetLayout.Ham10000, ds.Report.Layout);
        Assert.True(ds.HasLabels);
        Assert.Equal(LesionClasses.Names, ds.ClassNames);
        Assert.Equal(Fixtures.HamRows.Length, ds.Count);
        for (var i = 0; i < ds.Count; i++)
        {
            var row = Fixtures.HamRows.Single(r => r.Image == ds.ImageId(i));
            Assert.Equal(row.Dx, ds.ClassNames[ds.Label(i)]);
            Assert.Equal(row.Lesion, ds.GroupId(i));
        }
    }

    [Fact]
    public void Isic2018_is_detected_and_one_hot_columns_map_to_ham_class_names()
    {
        using var tmp = new TempDir();
        Fixtures.WriteIsic(tmp.Sub("isic"));
        using var ds = DatasetLoader.Open(tmp.Sub("isic"), Fixtures.Options(tmp));
        Assert.Equal(DatasetLayout.Isic2018Task3, ds.Report.Layout);
        Assert.Equal(7, ds.Count);
        string[] order = ["mel", "nv", "bcc", "akiec", "bkl", "df", "vasc"];
        for (var i = 0; i < ds.Count; i++)
        {
            var k = int.Parse(ds.ImageId(i)[5..]) - 24306;
            Assert.Equal(order[k], ds.ClassNames[ds.Label(i)]);
            Assert.Null(ds.GroupId(i));
        }
        Assert.False(ds.Report.HasProblems);   // LICENSE.txt is documentation, not a skipped image
    }

    [Fact]
    public void A_plain_folder_is_unlabeled_and_class_features_say_so()
    {
        using var tmp = new TempDir();
        for (var i = 0; i < 5; i++) Fixtures.WriteImage(tmp.Sub("plain", "sub", $"img{i}.png"), Fixtures.Pattern(20, 20, i), 20, 20);
        using var ds = DatasetLoader.Open(tmp.Sub("plain"), Fixtures.Options(tmp));
        Assert.Equal(DatasetLayout.UnlabeledFolder, ds.Report.Layout);
        Assert.False(ds.HasLabels);
        Assert.Empty(ds.ClassNames);
        Assert.All(Enumerable.Range(0, ds.Count), i => Assert.Equal(-1, ds.Label(i)));
        Assert.Contains("sub/img3", Enumerable.Range(0, ds.Count).Select(ds.ImageId));
        var e = Assert.Throws<DataError>(() => new BatchLoader(ds, [0, 1, 2, 3, 4], 2, 0, null, balance: true));
        Assert.Contains("unlabeled", e.Message);
        Assert.Contains("--balance", e.Message);
    }

    [Fact]
    public void Metadata_csv_missing_required_columns_names_them_and_the_expected_layouts()
    {
        using var tmp = new TempDir();
        Fixtures.WriteImage(tmp.Sub("d", "ISIC_0000001.jpg"), Fixtures.Pattern(20, 20, 1), 20, 20);
        File.WriteAllText(tmp.Sub("d", "HAM10000_metadata.csv"), "lesion_id,image_id,age\nHAM_1,ISIC_0000001,40\n");
        var e = Assert.Throws<DataError>(() => DatasetLoader.Open(tmp.Sub("d"), Fixtures.Options(tmp)));
        Assert.Contains("missing required columns dx:", e.Message);
        Assert.Contains("HAM10000", e.Message);
        Assert.Contains("ISIC 2018", e.Message);
    }

    [Fact]
    public void An_unknown_csv_lists_what_each_layout_is_missing()
    {
        using var tmp = new TempDir();
        Fixtures.WriteImage(tmp.Sub("d", "a.jpg"), Fixtures.Pattern(20, 20, 1), 20, 20);
        File.WriteAllText(tmp.Sub("d", "labels.csv"), "image,MEL,NV\na,1,0\n");
        var e = Assert.Throws<DataError>(() => DatasetLoader.Open(tmp.Sub("d"), Fixtures.Options(tmp)));
        Assert.Contains("labels.csv", e.Message);
        Assert.Contains("BCC", e.Message);
        Assert.Contains("lesion_id", e.Message);
    }

    [Fact]
    public void Empty_and_missing_folders_are_clear_errors()
    {
        using var tmp = new TempDir();
        Directory.CreateDirectory(tmp.Sub("empty"));
        File.WriteAllText(tmp.Sub("empty", "README.txt"), "nothing here");
        var e = Assert.Throws<DataError>(() => DatasetLoader.Open(tmp.Sub("empty"), Fixtures.Options(tmp)));
        Assert.Contains("no images found", e.Message);
        Assert.Contains("HAM10000", e.Message);
        var missing = Assert.Throws<DataError>(() => DatasetLoader.Open(tmp.Sub("nope"), Fixtures.Options(tmp)));
        Assert.Contains("does not exist", missing.Message);
    }

    [Fact]
    public void A_folder_whose_images_are_all_corrupt_is_an_error()
    {
        using var tmp = new TempDir();
        Directory.CreateDirectory(tmp.Sub("bad"));
        File.WriteAllText(tmp.Sub("bad", "a.jpg"), "garbage");
        File.WriteAllText(tmp.Sub("bad", "b.png"), "garbage");
        var e = Assert.Throws<DataError>(() => DatasetLoader.Open(tmp.Sub("bad"), Fixtures.Options(tmp)));
        Assert.Contains("no readable image", e.Message);
        Assert.Contains("a.jpg", e.Message);
    }

    [Fact]
    public void Corrupt_truncated_and_non_image_files_are_skipped_and_reported()
    {
        using var tmp = new TempDir();
        Fixtures.WriteHam(tmp.Sub("ham"));
        using var ds = DatasetLoader.Open(tmp.Sub("ham"), Fixtures.Options(tmp));
        var r = ds.Report;
        Assert.Equal(3, r.Unreadable.Count);
        Assert.Contains(r.Unreadable.Examples, s => s.Contains("ISIC_0000020.jpg"));
        Assert.Contains(r.Unreadable.Examples, s => s.Contains("ISIC_0000021.jpg") && s.Contains("truncated"));
        Assert.Contains(r.Unreadable.Examples, s => s.Contains("thumbs.db"));
        Assert.DoesNotContain("ISIC_0000020", Enumerable.Range(0, ds.Count).Select(ds.ImageId));
        Assert.Equal(1, r.MissingImages.Count);
        Assert.Equal("ISIC_0000040", r.MissingImages.Examples[0]);
        Assert.Equal(1, r.Unlisted.Count);
        Assert.Contains("ISIC_0000030", r.Unlisted.Examples[0]);
        Assert.Equal(3, r.ProblemLines().Count());
        Assert.Equal(0, r.BadRows.Count);
    }

    [Fact]
    public void Strict_turns_skipped_files_into_an_error_naming_them()
    {
        using var tmp = new TempDir();
        Fixtures.WriteHam(tmp.Sub("ham"));
        var e = Assert.Throws<DataError>(() => DatasetLoader.Open(tmp.Sub("ham"), Fixtures.Options(tmp, strict: true)));
        Assert.Contains("--strict", e.Message);
        Assert.Contains("ISIC_0000040", e.Message);
        Assert.Contains("thumbs.db", e.Message);

        // Decode failures only show up while the cache is built: strict must catch those too.
        Fixtures.WriteIsic(tmp.Sub("isic"));
        File.WriteAllText(tmp.Sub("isic", "ISIC2018_Task3_Training_Input", "ISIC_0024306.png"), "broken");
        var e2 = Assert.Throws<DataError>(() => DatasetLoader.Open(tmp.Sub("isic"), Fixtures.Options(tmp, strict: true)));
        Assert.Contains("ISIC_0024306.png", e2.Message);
    }

    [Fact]
    public void Nothing_in_the_source_folder_is_written_and_a_cache_inside_it_is_refused()
    {
        using var tmp = new TempDir();
        Fixtures.WriteHam(tmp.Sub("ham"));
        var before = Fixtures.Snapshot(tmp.Sub("ham"));
        using (var ds = DatasetLoader.Open(tmp.Sub("ham"), Fixtures.Options(tmp))) Assert.True(ds.Count > 0);
        Assert.Equal(before, Fixtures.Snapshot(tmp.Sub("ham")));
        Assert.True(Directory.EnumerateFiles(tmp.Sub("cache")).Any());
        var e = Assert.Throws<DataError>(() => DatasetLoader.Open(tmp.Sub("ham"), Fixtures.Options(tmp) with { CacheDir = tmp.Sub("ham", ".cache") }));
        Assert.Contains("inside the data folder", e.Message);
        Assert.Equal(before, Fixtures.Snapshot(tmp.Sub("ham")));
    }

    [Theory]
    [InlineData(30, 4)]
    [InlineData(0, 1)]
    [InlineData(-8, 4)]
    public void Image_size_must_be_a_positive_multiple_of_the_downsampling(int size, int downsample)
    {
        var e = Assert.Throws<DataError>(() => DatasetLoader.Open("synthetic:10", new DataOptions { ImageSize = size, Downsample = downsample }));
        Assert.Contains("multiple", e.Message);
        Assert.Contains(downsample.ToString(), e.Message);
    }

    [Theory]
    [InlineData("synthetic:abc")]
    [InlineData("synthetic:0")]
    [InlineData("synthetic:10:x")]
    [InlineData("synthetic:1:2:3")]
    public void Bad_synthetic_specs_are_clear_errors(string spec)
    {
        var e = Assert.Throws<DataError>(() => DatasetLoader.Open(spec, new DataOptions()));
        Assert.Contains("synthetic", e.Message);
    }

    [Fact]
    public void Synthetic_spec_sets_count_and_size_and_conflicts_with_another_size()
    {
        using var ds = DatasetLoader.Open("synthetic:12:16", new DataOptions { Downsample = 4 });
        Assert.Equal((12, 16), (ds.Count, ds.ImageSize));
        using var d2 = DatasetLoader.Open("synthetic:5", new DataOptions { ImageSize = 8 });
        Assert.Equal((5, 8), (d2.Count, d2.ImageSize));
        Assert.Throws<DataError>(() => DatasetLoader.Open("synthetic:5:16", new DataOptions { ImageSize = 32 }));
    }

    [Fact]
    public void Unknown_diagnoses_and_invalid_one_hot_rows_are_reported_as_bad_rows()
    {
        using var tmp = new TempDir();
        Fixtures.WriteImage(tmp.Sub("ham", "imgs", "ISIC_1.jpg"), Fixtures.Pattern(20, 20, 1), 20, 20);
        Fixtures.WriteImage(tmp.Sub("ham", "imgs", "ISIC_2.jpg"), Fixtures.Pattern(20, 20, 2), 20, 20);
        File.WriteAllText(tmp.Sub("ham", "HAM10000_metadata.csv"), "lesion_id,image_id,dx\nL1,ISIC_1,nv\nL2,ISIC_2,scc\n");
        using (var ds = DatasetLoader.Open(tmp.Sub("ham"), Fixtures.Options(tmp)))
        {
            Assert.Equal(1, ds.Count);
            Assert.Equal(1, ds.Report.BadRows.Count);
            Assert.Contains("scc", ds.Report.BadRows.Examples[0]);
            Assert.Equal(0, ds.Report.Unlisted.Count);   // the image of a bad row is not "unlisted"
        }
        Fixtures.WriteIsic(tmp.Sub("isic"));
        var csv = tmp.Sub("isic", "ISIC2018_Task3_Training_GroundTruth.csv");
        File.WriteAllText(csv, File.ReadAllText(csv).Replace("ISIC_0024306,1.0,0.0", "ISIC_0024306,1.0,1.0"));
        using var isic = DatasetLoader.Open(tmp.Sub("isic"), Fixtures.Options(tmp));
        Assert.Equal(6, isic.Count);
        Assert.Contains("ISIC_0024306", isic.Report.BadRows.Examples[0]);
    }

    [Fact]
    public void Isic_lesion_groupings_file_provides_lesion_ids()
    {
        using var tmp = new TempDir();
        Fixtures.WriteIsic(tmp.Sub("isic"));
        File.WriteAllText(tmp.Sub("isic", "ISIC2018_Task3_Training_LesionGroupings.csv"),
            "image,lesion_id,diagnosis_confirm_type\nISIC_0024306,HAM_0000118,histopathology\nISIC_0024307,HAM_0000118,histopathology\n");
        using var ds = DatasetLoader.Open(tmp.Sub("isic"), Fixtures.Options(tmp));
        Assert.Equal(DatasetLayout.Isic2018Task3, ds.Report.Layout);
        var ids = Enumerable.Range(0, ds.Count).ToDictionary(ds.ImageId, ds.GroupId);
        Assert.Equal("HAM_0000118", ids["ISIC_0024306"]);
        Assert.Equal("HAM_0000118", ids["ISIC_0024307"]);
        Assert.Null(ids["ISIC_0024308"]);
    }
}
