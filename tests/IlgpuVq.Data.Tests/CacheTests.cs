namespace IlgpuVq.Data.Tests;

public class CacheTests
{
    static byte[] Pixels(ILesionDataset ds, int i)
    {
        var b = new byte[ds.ImageBytes()];
        ds.ReadImage(i, b);
        return b;
    }

    [Fact]
    public void The_cache_is_built_once_reused_and_rebuilt_when_the_source_changes()
    {
        using var tmp = new TempDir();
        Fixtures.WriteIsic(tmp.Sub("isic"));
        byte[] first;
        using (var ds = DatasetLoader.Open(tmp.Sub("isic"), Fixtures.Options(tmp)))
        {
            Assert.Equal(CacheStatus.Built, ds.Report.Cache);
            Assert.StartsWith(Path.GetFullPath(tmp.Sub("cache")), ds.Report.CachePath);
            first = Pixels(ds, 3);
        }
        using (var ds = DatasetLoader.Open(tmp.Sub("isic"), Fixtures.Options(tmp)))
        {
            Assert.Equal(CacheStatus.Reused, ds.Report.Cache);
            Assert.Equal(first, Pixels(ds, 3));
        }
        // A new image and a changed label: the cache must be rebuilt with both.
        var input = tmp.Sub("isic", "ISIC2018_Task3_Training_Input");
        Fixtures.WriteImage(Path.Combine(input, "ISIC_0099999.png"), Fixtures.Pattern(30, 40, 50), 30, 40);
        var csv = tmp.Sub("isic", "ISIC2018_Task3_Training_GroundTruth.csv");
        File.AppendAllText(csv, "ISIC_0099999,0.0,0.0,0.0,0.0,0.0,1.0,0.0\n");
        using (var ds = DatasetLoader.Open(tmp.Sub("isic"), Fixtures.Options(tmp)))
        {
            Assert.Equal(CacheStatus.Built, ds.Report.Cache);
            Assert.Equal(8, ds.Count);
            var i = Enumerable.Range(0, ds.Count).Single(k => ds.ImageId(k) == "ISIC_0099999");
            Assert.Equal("df", ds.ClassNames[ds.Label(i)]);
        }
        File.WriteAllText(csv, File.ReadAllText(csv).Replace("ISIC_0099999,0.0,0.0,0.0,0.0,0.0,1.0,0.0", "ISIC_0099999,1.0,0.0,0.0,0.0,0.0,0.0,0.0"));
        using (var ds = DatasetLoader.Open(tmp.Sub("isic"), Fixtures.Options(tmp)))
        {
            Assert.Equal(CacheStatus.Built, ds.Report.Cache);
            var i = Enumerable.Range(0, ds.Count).Single(k => ds.ImageId(k) == "ISIC_0099999");
            Assert.Equal("mel", ds.ClassNames[ds.Label(i)]);
        }
    }

    [Fact]
    public void Each_image_size_has_its_own_cache_and_a_damaged_cache_is_rebuilt()
    {
        using var tmp = new TempDir();
        Fixtures.WriteIsic(tmp.Sub("isic"));
        string path;
        using (var ds = DatasetLoader.Open(tmp.Sub("isic"), Fixtures.Options(tmp, size: 8))) path = ds.Report.CachePath!;
        using (var ds = DatasetLoader.Open(tmp.Sub("isic"), Fixtures.Options(tmp, size: 12)))
        {
            Assert.Equal(CacheStatus.Built, ds.Report.Cache);
            Assert.NotEqual(path, ds.Report.CachePath);
            Assert.Equal(12 * 12 * 3, ds.ImageBytes());
        }
        var bytes = File.ReadAllBytes(path);
        File.WriteAllBytes(path, bytes[..(bytes.Length - 10)]);
        using (var ds = DatasetLoader.Open(tmp.Sub("isic"), Fixtures.Options(tmp, size: 8)))
        {
            Assert.Equal(CacheStatus.Built, ds.Report.Cache);
            Assert.Equal(7, ds.Count);
        }
    }

    [Fact]
    public void Skipped_files_are_remembered_by_the_cache()
    {
        using var tmp = new TempDir();
        Fixtures.WriteHam(tmp.Sub("ham"));
        DatasetReport built, reused;
        using (var ds = DatasetLoader.Open(tmp.Sub("ham"), Fixtures.Options(tmp))) built = ds.Report;
        using (var ds = DatasetLoader.Open(tmp.Sub("ham"), Fixtures.Options(tmp))) reused = ds.Report;
        Assert.Equal(CacheStatus.Reused, reused.Cache);
        Assert.Equal(built.Unreadable.Count, reused.Unreadable.Count);
        Assert.Equal(built.Unreadable.Examples, reused.Unreadable.Examples);
        Assert.Throws<DataError>(() => DatasetLoader.Open(tmp.Sub("ham"), Fixtures.Options(tmp, strict: true)));
    }

    [Fact]
    public void Resizing_center_crops_the_long_side()
    {
        // 8×4: red in the left quarter, green in the middle half, blue in the right quarter → the crop is all green.
        var rgb = new byte[8 * 4 * 3];
        for (var y = 0; y < 4; y++)
        for (var x = 0; x < 8; x++)
            rgb[(y * 8 + x) * 3 + (x < 2 ? 0 : x < 6 ? 1 : 2)] = 200;
        var output = new byte[2 * 2 * 3];
        SquareResizer.CenterCropResize(rgb, 8, 4, 3, 8 * 3, 2, output);
        for (var k = 0; k < 4; k++) Assert.Equal(new byte[] { 0, 200, 0 }, output[(k * 3)..(k * 3 + 3)]);
        // Tall image: the central rows are kept.
        var tall = new byte[2 * 6 * 3];
        for (var y = 0; y < 6; y++)
        for (var x = 0; x < 2; x++)
            tall[(y * 2 + x) * 3] = (byte)(y is 2 or 3 ? 250 : 10);
        var o2 = new byte[1 * 1 * 3];
        SquareResizer.CenterCropResize(tall, 2, 6, 3, 2 * 3, 1, o2);
        Assert.Equal(250, o2[0]);
    }

    [Fact]
    public void Area_downscaling_averages_and_upscaling_keeps_flat_colours()
    {
        var checker = new byte[4 * 4 * 3];
        for (var k = 0; k < 16; k++) checker[k * 3] = (byte)((k / 4 + k % 4) % 2 == 0 ? 0 : 200);
        var small = new byte[3];
        SquareResizer.CenterCropResize(checker, 4, 4, 3, 12, 1, small);
        Assert.Equal(100, small[0]);
        var flat = Fixtures.Flat(3, 3, 10, 120, 230);
        var big = new byte[7 * 7 * 3];
        SquareResizer.CenterCropResize(flat, 3, 3, 3, 9, 7, big);
        for (var k = 0; k < 49; k++) Assert.Equal(new byte[] { 10, 120, 230 }, big[(k * 3)..(k * 3 + 3)]);
    }

    [Fact]
    public void Decoded_fixture_images_keep_their_colour()
    {
        using var tmp = new TempDir();
        var path = tmp.Sub("flat.png");
        Fixtures.WriteImage(path, Fixtures.Flat(30, 20, 30, 140, 220), 30, 20);
        var output = new byte[8 * 8 * 3];
        Assert.True(ImageDecoder.TryDecodeSquare(path, 8, DataOptions.DefaultMaxPixels, output, out var err), err);
        for (var k = 0; k < 64; k++) Assert.Equal(new byte[] { 30, 140, 220 }, output[(k * 3)..(k * 3 + 3)]);
        File.WriteAllText(tmp.Sub("x.png"), "no");
        Assert.False(ImageDecoder.TryDecodeSquare(tmp.Sub("x.png"), 8, DataOptions.DefaultMaxPixels, output, out err));
        Assert.NotNull(err);
    }
}
