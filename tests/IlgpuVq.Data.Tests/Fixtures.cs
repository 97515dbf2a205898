using System.Text;

namespace IlgpuVq.Data.Tests;

/// <summary>A temporary folder deleted at the end of a test.</summary>
public sealed class TempDir : IDisposable
{
    public TempDir()
    {
        Path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "ilgpuvq-data-tests", Guid.NewGuid().ToString("N")[..12]);
        Directory.CreateDirectory(Path);
    }

    public string Path { get; }
    public string Sub(params string[] parts) => System.IO.Path.Combine([Path, .. parts]);

    public void Dispose()
    {
        try { Directory.Delete(Path, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }
}

/// <summary>Builds small dataset folders in the HAM10000, ISIC 2018 and plain layouts.</summary>
public static class Fixtures
{
    /// <summary>A w×h RGB image whose colour depends on a value (a smooth gradient, so every image differs).</summary>
    public static byte[] Pattern(int w, int h, int value)
    {
        var rgb = new byte[w * h * 3];
        for (var y = 0; y < h; y++)
        for (var x = 0; x < w; x++)
        {
            var o = (y * w + x) * 3;
            rgb[o] = (byte)(40 + value * 23 % 180);
            rgb[o + 1] = (byte)(60 + x * 100 / w);
            rgb[o + 2] = (byte)(60 + y * 100 / h);
        }
        return rgb;
    }

    public static byte[] Flat(int w, int h, byte r, byte g, byte b)
    {
        var rgb = new byte[w * h * 3];
        for (var k = 0; k < w * h; k++) { rgb[3 * k] = r; rgb[3 * k + 1] = g; rgb[3 * k + 2] = b; }
        return rgb;
    }

    public static void WriteImage(string path, byte[] rgb, int w, int h)
    {
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(path)!);
        ImageDecoder.SaveRgb(path, rgb, w, h);
    }

    /// <summary>Rows of the HAM fixture: (lesion, image, dx). HAM_A has three images, HAM_B two.</summary>
    public static readonly (string Lesion, string Image, string Dx)[] HamRows =
    [
        ("HAM_A", "ISIC_0000001", "mel"), ("HAM_A", "ISIC_0000002", "mel"), ("HAM_A", "ISIC_0000003", "mel"),
        ("HAM_B", "ISIC_0000004", "nv"), ("HAM_B", "ISIC_0000005", "nv"),
        ("HAM_C", "ISIC_0000006", "nv"), ("HAM_D", "ISIC_0000007", "nv"), ("HAM_E", "ISIC_0000008", "bkl"),
        ("HAM_F", "ISIC_0000009", "bcc"), ("HAM_G", "ISIC_0000010", "akiec"), ("HAM_H", "ISIC_0000011", "df"),
        ("HAM_I", "ISIC_0000012", "vasc"), ("HAM_J", "ISIC_0000013", "nv"),
    ];

    /// <summary>
    /// HAM10000 layout: 13 good images in two part folders (40×30 JPEGs), plus a corrupt JPEG and a truncated JPEG
    /// that are listed in the CSV, a non-image file, an image with no CSV row and a CSV row with no image.
    /// </summary>
    public static void WriteHam(string root)
    {
        var csv = new StringBuilder("lesion_id,image_id,dx,dx_type,age,sex,localization,dataset\n");
        for (var i = 0; i < HamRows.Length; i++)
        {
            var (lesion, image, dx) = HamRows[i];
            var part = i < 7 ? "HAM10000_images_part1" : "HAM10000_images_part2";
            WriteImage(System.IO.Path.Combine(root, part, image + ".jpg"), Pattern(40, 30, i), 40, 30);
            csv.Append($"{lesion},{image},{dx},histo,45.0,male,back,vidir_modern\n");
        }
        var p2 = System.IO.Path.Combine(root, "HAM10000_images_part2");
        File.WriteAllBytes(System.IO.Path.Combine(p2, "ISIC_0000020.jpg"), Encoding.ASCII.GetBytes("this is not a jpeg at all"));
        var good = System.IO.Path.Combine(root, "good.tmp.jpg");
        ImageDecoder.SaveRgb(good, Pattern(40, 30, 99), 40, 30);
        var bytes = File.ReadAllBytes(good);
        File.WriteAllBytes(System.IO.Path.Combine(p2, "ISIC_0000021.jpg"), bytes[..(bytes.Length / 2)]);
        File.Delete(good);
        csv.Append("HAM_K,ISIC_0000020,nv,histo,45.0,male,back,x\n");
        csv.Append("HAM_L,ISIC_0000021,nv,histo,45.0,male,back,x\n");
        File.WriteAllBytes(System.IO.Path.Combine(p2, "thumbs.db"), [1, 2, 3]);
        WriteImage(System.IO.Path.Combine(p2, "ISIC_0000030.jpg"), Pattern(40, 30, 30), 40, 30);   // no CSV row
        csv.Append("HAM_M,ISIC_0000040,mel,histo,45.0,male,back,x\n");                                 // no image
        File.WriteAllText(System.IO.Path.Combine(root, "HAM10000_metadata.csv"), csv.ToString());
    }

    /// <summary>ISIC 2018 Task 3 layout: 7 PNG images, one per class, with the one-hot ground truth and a LICENSE.txt.</summary>
    public static void WriteIsic(string root)
    {
        var input = System.IO.Path.Combine(root, "ISIC2018_Task3_Training_Input");
        var csv = new StringBuilder("image,MEL,NV,BCC,AKIEC,BKL,DF,VASC\n");
        string[] order = ["MEL", "NV", "BCC", "AKIEC", "BKL", "DF", "VASC"];
        for (var i = 0; i < order.Length; i++)
        {
            var id = $"ISIC_{24306 + i:D7}";
            WriteImage(System.IO.Path.Combine(input, id + ".png"), Pattern(30, 40, i), 30, 40);
            csv.Append(id);
            foreach (var col in order) csv.Append(col == order[i] ? ",1.0" : ",0.0");
            csv.Append('\n');
        }
        File.WriteAllText(System.IO.Path.Combine(input, "LICENSE.txt"), "CC-BY-NC");
        File.WriteAllText(System.IO.Path.Combine(root, "ISIC2018_Task3_Training_GroundTruth.csv"), csv.ToString());
    }

    /// <summary>Paths, sizes and modification times of every file and folder under a root.</summary>
    public static string Snapshot(string root) =>
        string.Join("\n", Directory.EnumerateFileSystemEntries(root, "*", SearchOption.AllDirectories).Order(StringComparer.Ordinal)
            .Select(p => $"{p}|{(File.Exists(p) ? new FileInfo(p).Length : -1)}|{File.GetLastWriteTimeUtc(p).Ticks}"));

    /// <summary>Image id → class name of every image of a labelled dataset.</summary>
    public static Dictionary<string, string> ClassByImage(ILesionDataset ds) =>
        Enumerable.Range(0, ds.Count).ToDictionary(ds.ImageId, i => ds.ClassNames[ds.Label(i)]);

    /// <summary>Options with a private cache folder.</summary>
    public static DataOptions Options(TempDir tmp, int size = 16, bool strict = false) =>
        new() { ImageSize = size, CacheDir = tmp.Sub("cache"), Strict = strict };
}

/// <summary>A tiny in-memory dataset for loader tests: image i is flat with value i (mod 256); label from a function.</summary>
public sealed class FakeDataset(int count, int size, Func<int, int>? label = null, int classes = 3, int throwAt = -1) : ILesionDataset
{
    public int Count => count;
    public int ImageSize => size;
    public IReadOnlyList<string> ClassNames { get; } = Enumerable.Range(0, classes).Select(c => $"c{c}").ToArray();
    public bool HasLabels => classes > 0;
    public int Label(int i) => classes > 0 ? (label ?? (k => k % classes))(i) : -1;
    public string? GroupId(int i) => null;
    public string ImageId(int i) => $"img{i}";
    public DatasetReport Report { get; } = new() { Layout = DatasetLayout.Synthetic, Source = "fake" };

    public void ReadImage(int i, Span<byte> rgbHWC)
    {
        if (i == throwAt) throw new InvalidDataException($"boom at {i}");
        for (var k = 0; k < size * size * 3; k++) rgbHWC[k] = (byte)((i * 7 + k) % 256);
    }

    public void Dispose() { }
}
