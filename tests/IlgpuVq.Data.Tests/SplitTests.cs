namespace IlgpuVq.Data.Tests;

public class SplitTests
{
    static readonly Lazy<SyntheticLesionDataset> Synthetic = new(() => new SyntheticLesionDataset(600, 8, seed: 5));

    [Fact]
    public void No_lesion_is_on_both_sides_and_every_image_is_on_exactly_one()
    {
        var ds = Synthetic.Value;
        var split = DataSplit.Create(ds, TestSize.Images(120), seed: 1);
        Assert.Equal(ds.Count, split.Train.Length + split.Test.Length);
        Assert.Empty(split.Train.Intersect(split.Test));
        var trainLesions = split.Train.Select(ds.GroupId).ToHashSet();
        Assert.DoesNotContain(split.Test.Select(ds.GroupId), trainLesions.Contains);
        Assert.True(Enumerable.Range(0, ds.Count).GroupBy(ds.GroupId).Any(g => g.Count() > 1), "fixture needs lesions with several images");
    }

    [Fact]
    public void Class_ratios_are_kept_in_train_and_test()
    {
        var ds = Synthetic.Value;
        var split = DataSplit.Create(ds, TestSize.Images(120), seed: 2);
        Assert.InRange(split.Test.Length, 118, 122);
        var all = DataSplit.CountByClass(ds, Enumerable.Range(0, ds.Count));
        var test = DataSplit.CountByClass(ds, split.Test);
        for (var c = 0; c < all.Length; c++)
            Assert.InRange(test[c], 120.0 * all[c] / ds.Count - 2.5, 120.0 * all[c] / ds.Count + 2.5);
        Assert.Equal("nv", ds.ClassNames[test.Select((n, c) => (n, c)).Max().c]);
    }

    [Fact]
    public void The_split_is_a_pure_function_of_the_seed()
    {
        var ds = Synthetic.Value;
        var a = DataSplit.Create(ds, TestSize.Of(0.2), seed: 7);
        var b = DataSplit.Create(ds, TestSize.Of(0.2), seed: 7);
        var c = DataSplit.Create(ds, TestSize.Of(0.2), seed: 8);
        Assert.Equal(a.Test, b.Test);
        Assert.Equal(a.Train, b.Train);
        Assert.NotEqual(a.Test, c.Test);
    }

    [Fact]
    public void Grouping_by_lesion_id_keeps_a_lesion_with_several_images_together_in_a_real_layout()
    {
        using var tmp = new TempDir();
        Fixtures.WriteHam(tmp.Sub("ham"));
        using var ds = DatasetLoader.Open(tmp.Sub("ham"), Fixtures.Options(tmp, size: 8));
        for (var seed = 0; seed < 20; seed++)
        {
            var split = DataSplit.Create(ds, TestSize.Images(4), seed);
            var testLesions = split.Test.Select(ds.GroupId).ToHashSet();
            Assert.DoesNotContain(split.Train, i => testLesions.Contains(ds.GroupId(i)));
        }
    }

    [Fact]
    public void Test_size_parsing_defaults_and_errors()
    {
        Assert.Equal(1000, TestSize.Parse("default").Resolve(10_015));
        Assert.Equal(200, TestSize.Default.Resolve(2000));
        Assert.Equal(150, TestSize.Parse("0.15").Resolve(1000));
        Assert.Equal(100, TestSize.Parse("10%").Resolve(1000));
        Assert.Equal(37, TestSize.Parse("37").Resolve(1000));
        Assert.Throws<DataError>(() => TestSize.Parse("lots"));
        var e = Assert.Throws<DataError>(() => DataSplit.Create(Synthetic.Value, TestSize.Images(600), 0));
        Assert.Contains("not smaller than the data", e.Message);
        Assert.Contains("600", e.Message);
    }

    [Fact]
    public void The_split_csv_round_trips_and_rejects_a_different_dataset()
    {
        using var tmp = new TempDir();
        var ds = Synthetic.Value;
        var split = DataSplit.Create(ds, TestSize.Images(60), seed: 3);
        var path = tmp.Sub("run", "split.csv");
        split.WriteCsv(path);
        var lines = File.ReadAllLines(path);
        Assert.Equal("image_id,lesion_id,label,split,split_source", lines[0]);
        Assert.Equal(ds.Count + 1, lines.Length);
        Assert.All(lines.Skip(1), l => Assert.EndsWith(",seed 3", l));
        var back = DataSplit.ReadCsv(path, ds);
        Assert.Equal("seed 3", back.Source);
        Assert.Equal(split.Train, back.Train);
        Assert.Equal(split.Test, back.Test);
        using var other = new SyntheticLesionDataset(500, 8, seed: 5);
        var e = Assert.Throws<DataError>(() => DataSplit.ReadCsv(path, other));
        Assert.Contains("does not match", e.Message);
    }
}
