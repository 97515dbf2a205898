namespace IlgpuVq.Data.Tests;

/// <summary><c>--labels FILE --label-column NAME[,NAME...] [--id-column NAME]</c>: any CSV labels any folder.</summary>
public class LabelsCsvTests
{
    static string Folder(TempDir tmp, params string[] ids)
    {
        var root = tmp.Sub("imgs");
        for (var i = 0; i < ids.Length; i++) Fixtures.WriteImage(Path.Combine(root, ids[i] + ".jpg"), Fixtures.Pattern(12, 10, i), 12, 10);
        return root;
    }

    static DataOptions With(TempDir tmp, string csvText, string columns, string? idColumn = null)
    {
        var csv = tmp.Sub("labels.csv");
        File.WriteAllText(csv, csvText);
        return Fixtures.Options(tmp) with { LabelsCsv = csv, LabelColumns = columns.Split(','), IdColumn = idColumn };
    }

    [Fact]
    public void A_single_diagnosis_column_gives_the_classes_found_in_it()
    {
        using var tmp = new TempDir();
        var root = Folder(tmp, "ISIC_1", "ISIC_2", "ISIC_3", "ISIC_4");
        // ISIC 2020 style: image_name first, the diagnosis in benign_malignant; one row has no image, one an empty label.
        var opts = With(tmp, "image_name,patient_id,benign_malignant,target\nISIC_1,P1,malignant,1\nISIC_2,P1,benign,0\n" +
                             "ISIC_3,P2,benign,0\nISIC_9,P3,benign,0\nISIC_4,P4,,0\n", "benign_malignant");
        using var ds = DatasetLoader.Open(root, opts);
        Assert.Equal(DatasetLayout.LabelsCsv, ds.Report.Layout);
        Assert.Equal(tmp.Sub("labels.csv"), ds.Report.Labels!.Csv);
        Assert.Equal(["benign_malignant"], ds.Report.Labels.Columns);
        Assert.Equal(["benign", "malignant"], ds.ClassNames);
        Assert.Equal(3, ds.Count);
        var labels = Fixtures.ClassByImage(ds);
        Assert.Equal("malignant", labels["ISIC_1"]);
        Assert.Equal("benign", labels["ISIC_3"]);
        Assert.Equal(["ISIC_9"], ds.Report.MissingImages.Examples);
        Assert.Contains("ISIC_4 (empty benign_malignant)", ds.Report.BadRows.Examples);
        Assert.Equal(0, ds.Report.Unlisted.Count);   // the image of a rejected row is not also "unlisted"
    }

    [Fact]
    public void Integer_labels_sort_numerically_and_the_id_column_can_be_named_with_extensions_in_ids()
    {
        using var tmp = new TempDir();
        var root = Folder(tmp, "a", "b", "c");
        var opts = With(tmp, "grade,file\n10,a.JPG\n2,b.jpg\n1,c\n", "grade", idColumn: "file");
        using var ds = DatasetLoader.Open(root, opts);
        Assert.Equal(["1", "2", "10"], ds.ClassNames);
        Assert.Equal("10", ds.ClassNames[ds.Label(Enumerable.Range(0, 3).Single(i => ds.ImageId(i) == "a"))]);
    }

    [Fact]
    public void One_hot_columns_are_the_classes_in_the_given_order()
    {
        using var tmp = new TempDir();
        var root = Folder(tmp, "ISIC_1", "ISIC_2", "ISIC_3", "ISIC_4");
        // ISIC 2019 style ground truth with an UNK column; a row with no class marked is rejected.
        var opts = With(tmp, "image,MEL,NV,BCC,AK,BKL,DF,VASC,SCC,UNK\nISIC_1,1,0,0,0,0,0,0,0,0\nISIC_2,0,0,0,0,0,0,0,1.0,0\n" +
                             "ISIC_3,0,0,0,0,0,0,0,0,1\nISIC_4,0,0,0,0,0,0,0,0,0\n", "MEL,NV,BCC,AK,BKL,DF,VASC,SCC,UNK");
        using var ds = DatasetLoader.Open(root, opts);
        Assert.Equal(["MEL", "NV", "BCC", "AK", "BKL", "DF", "VASC", "SCC", "UNK"], ds.ClassNames);
        var labels = Fixtures.ClassByImage(ds);
        Assert.Equal("SCC", labels["ISIC_2"]);
        Assert.Equal("UNK", labels["ISIC_3"]);
        Assert.Contains(ds.Report.BadRows.Examples, s => s.Contains("ISIC_4") && s.Contains("no class marked"));
    }

    [Fact]
    public void Ids_with_folders_match_paths_below_the_root_so_equal_file_names_do_not_collide()
    {
        using var tmp = new TempDir();
        var root = Folder(tmp, "site1/x", "site2/x");
        var opts = With(tmp, "path,label\nsite1/x.jpg,nevus\nsite2\\x,melanoma\n", "label");
        using var ds = DatasetLoader.Open(root, opts);
        Assert.Equal(2, ds.Count);
        Assert.Equal(0, ds.Report.BadRows.Count);
        var labels = Fixtures.ClassByImage(ds);
        Assert.Equal("melanoma", labels["site2/x"]);
    }

    [Fact]
    public void Mistakes_in_the_label_options_are_clear_errors()
    {
        using var tmp = new TempDir();
        var root = Folder(tmp, "a", "b");
        var e = Assert.Throws<DataError>(() => DatasetLoader.Open(root, With(tmp, "image,dx\na,nv\n", "diagnosis")));
        Assert.Contains("no column 'diagnosis'", e.Message);
        Assert.Contains("image, dx", e.Message);
        e = Assert.Throws<DataError>(() => DatasetLoader.Open(root, With(tmp, "image,dx\na,nv\n", "image")));
        Assert.Contains("--id-column", e.Message);
        e = Assert.Throws<DataError>(() => DatasetLoader.Open(root, Fixtures.Options(tmp) with { LabelColumns = ["dx"] }));
        Assert.Contains("--labels", e.Message);
        e = Assert.Throws<DataError>(() => DatasetLoader.Open(root, Fixtures.Options(tmp) with { LabelsCsv = tmp.Sub("none.csv"), LabelColumns = ["dx"] }));
        Assert.Contains("does not exist", e.Message);
        e = Assert.Throws<DataError>(() => DatasetLoader.Open(root, Fixtures.Options(tmp) with { LabelsCsv = tmp.Sub("labels.csv") }));
        Assert.Contains("--label-column", e.Message);
        e = Assert.Throws<DataError>(() => DatasetLoader.Open("synthetic:10", new DataOptions { LabelsCsv = tmp.Sub("labels.csv") }));
        Assert.Contains("synthetic", e.Message);
        var ids = string.Join("\n", Enumerable.Range(0, LabelReader.MaxClasses + 1).Select(i => $"a,id{i}"));
        e = Assert.Throws<DataError>(() => DatasetLoader.Open(root, With(tmp, "image,uid\n" + ids + "\n", "uid")));
        Assert.Contains("id column", e.Message);
    }

    [Fact]
    public void The_cache_follows_a_change_of_labels()
    {
        using var tmp = new TempDir();
        var root = Folder(tmp, "a", "b");
        using (var ds = DatasetLoader.Open(root, With(tmp, "image,dx\na,x\nb,y\n", "dx")))
            Assert.Equal(["x", "y"], ds.ClassNames);
        using (var ds = DatasetLoader.Open(root, With(tmp, "image,dx\na,p\nb,q\n", "dx")))
        {
            Assert.Equal(CacheStatus.Built, ds.Report.Cache);
            Assert.Equal(["p", "q"], ds.ClassNames);
        }
    }
}
