namespace IlgpuVq.Data.Tests;

public class SyntheticTests
{
    [Fact]
    public void Generation_is_deterministic_for_a_seed_and_differs_between_seeds()
    {
        using var a = new SyntheticLesionDataset(40, 24, seed: 3);
        using var b = new SyntheticLesionDataset(40, 24, seed: 3);
        using var c = new SyntheticLesionDataset(40, 24, seed: 4);
        var (pa, pb, pc) = (new byte[a.ImageBytes()], new byte[a.ImageBytes()], new byte[a.ImageBytes()]);
        var differ = 0;
        for (var i = 0; i < a.Count; i++)
        {
            a.ReadImage(i, pa);
            b.ReadImage(i, pb);
            c.ReadImage(i, pc);
            Assert.Equal(pa, pb);
            Assert.Equal(a.Label(i), b.Label(i));
            if (!pa.AsSpan().SequenceEqual(pc)) differ++;
        }
        Assert.Equal(a.Count, differ);
    }

    [Fact]
    public void Class_counts_follow_ham10000_with_nv_dominant_and_every_class_present()
    {
        using var ds = new SyntheticLesionDataset(1000, 4, seed: 1);
        var counts = DataSplit.CountByClass(ds, Enumerable.Range(0, ds.Count));
        Assert.Equal(SyntheticCatalog.ClassCounts(1000), counts);
        var total = LesionClasses.Ham10000Counts.Sum();
        for (var c = 0; c < 7; c++)
            Assert.InRange(counts[c], 1000.0 * LesionClasses.Ham10000Counts[c] / total - 1, 1000.0 * LesionClasses.Ham10000Counts[c] / total + 1);
        Assert.Equal(LesionClasses.IndexOf("nv"), Array.IndexOf(counts, counts.Max()));
        Assert.All(SyntheticCatalog.ClassCounts(20), n => Assert.True(n >= 1));
        Assert.Equal(20, SyntheticCatalog.ClassCounts(20).Sum());
    }

    [Fact]
    public void Some_lesions_have_several_images_which_share_their_class()
    {
        using var ds = new SyntheticLesionDataset(400, 4, seed: 2);
        var groups = Enumerable.Range(0, ds.Count).GroupBy(ds.GroupId).ToList();
        Assert.InRange(groups.Count(g => g.Count() > 1), 20, 200);
        Assert.All(groups, g => Assert.Single(g.Select(ds.Label).Distinct()));
    }

    static double Luma(byte[] rgb, int size, Func<double, bool> inRegion)
    {
        double sum = 0;
        var n = 0;
        for (var y = 0; y < size; y++)
        for (var x = 0; x < size; x++)
        {
            var r = Math.Sqrt(Math.Pow((x + 0.5) / size - 0.5, 2) + Math.Pow((y + 0.5) / size - 0.5, 2));
            if (!inRegion(r)) continue;
            var o = (y * size + x) * 3;
            sum += 0.299 * rgb[o] + 0.587 * rgb[o + 1] + 0.114 * rgb[o + 2];
            n++;
        }
        return sum / n;
    }

    [Theory]
    [InlineData(32)]
    [InlineData(64)]
    [InlineData(256)]
    public void Lesions_are_darker_than_the_surrounding_skin(int size)
    {
        // The centre (where the lesion is) against a ring of skin around it, averaged over several lesions per class.
        var rgb = new byte[size * size * 3];
        var images = size == 256 ? 3 : 8;
        for (var c = 0; c < 7; c++)
        {
            double centre = 0, skin = 0;
            for (var k = 0; k < images; k++)
            {
                SyntheticLesions.Render(seed: 1, c, lesion: k, image: k, size, size, rgb);
                centre += Luma(rgb, size, r => r < 0.08);
                skin += Luma(rgb, size, r => r is > 0.38 and < 0.45);
            }
            var margin = LesionClasses.Names[c] is "nv" or "mel" ? 50 : 12;
            Assert.True(skin / images - centre / images > margin,
                $"{LesionClasses.Names[c]} at {size}px: centre {centre / images:F0} vs skin {skin / images:F0}");
        }
    }

    [Fact]
    public void The_ham_writer_output_reads_back_through_the_real_loader()
    {
        using var tmp = new TempDir();
        var result = SyntheticHamWriter.Write(tmp.Sub("synth"), 60, 24, seed: 6);
        Assert.True(Directory.Exists(tmp.Sub("synth", "HAM10000_images_part1")));
        Assert.True(result.Lesions < result.Images);
        using var ds = DatasetLoader.Open(tmp.Sub("synth"), Fixtures.Options(tmp, size: 16));
        Assert.Equal(DatasetLayout.Ham10000, ds.Report.Layout);
        Assert.False(ds.Report.HasProblems);
        Assert.Equal(60, ds.Count);
        var catalog = SyntheticCatalog.Create(60, 6);
        for (var i = 0; i < ds.Count; i++)
        {
            var n = int.Parse(ds.ImageId(i)[5..]) - SyntheticHamWriter.FirstImageNumber;
            Assert.Equal(catalog.Labels[n], ds.Label(i));
            Assert.Equal($"HAM_{catalog.Lesions[n]:D7}", ds.GroupId(i));
        }
        Assert.Contains(Enumerable.Range(0, ds.Count).GroupBy(ds.GroupId), g => g.Count() > 1);
        var e = Assert.Throws<DataError>(() => SyntheticHamWriter.Write(tmp.Sub("synth"), 5, 24, 0));
        Assert.Contains("not empty", e.Message);
    }
}
