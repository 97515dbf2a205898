using System.Security.Cryptography;
using IlgpuVq.Cli;
using Spectre.Console;

namespace IlgpuVq.Data.Tests;

/// <summary>
/// Files that crash or hang naive loaders: a PNG whose header claims 60000×60000 pixels, a 0-byte file, a truncated
/// JPEG, a folder named like an image and symbolic link loops. Each is skipped with its reason, nothing crashes, and
/// the dataset folder is unchanged.
/// </summary>
public class HostileFilesTests
{
    /// <summary>Every entry below a root with its type, link target or SHA-256, walked without following links.</summary>
    static string Listing(string root)
    {
        var lines = new List<string>();
        void Walk(string dir)
        {
            foreach (var p in Directory.EnumerateFileSystemEntries(dir).Order(StringComparer.Ordinal))
            {
                var rel = Path.GetRelativePath(root, p);
                var info = new FileInfo(p);
                if (info.LinkTarget is { } target) lines.Add($"{rel} -> {target}");
                else if (Directory.Exists(p)) { lines.Add($"{rel}/ {Directory.GetLastWriteTimeUtc(p).Ticks}"); Walk(p); }
                else lines.Add($"{rel} {info.Length} {info.LastWriteTimeUtc.Ticks} {Convert.ToHexString(SHA256.HashData(File.ReadAllBytes(p)))}");
            }
        }
        Walk(root);
        return string.Join("\n", lines);
    }

    static string HostileFolder(TempDir tmp)
    {
        var root = tmp.Sub("hostile");
        for (var i = 0; i < 3; i++) Fixtures.WriteImage(Path.Combine(root, "benign", $"ok{i}.jpg"), Fixtures.Pattern(20, 16, i), 20, 16);
        for (var i = 0; i < 3; i++) Fixtures.WriteImage(Path.Combine(root, "malignant", $"ok{i}.png"), Fixtures.Pattern(20, 16, 10 + i), 20, 16);
        File.WriteAllBytes(Path.Combine(root, "benign", "huge.png"), PngBytes.LyingHeader(60000, 60000));
        File.WriteAllBytes(Path.Combine(root, "benign", "empty.jpg"), []);
        var jpeg = File.ReadAllBytes(Path.Combine(root, "benign", "ok0.jpg"));
        File.WriteAllBytes(Path.Combine(root, "malignant", "truncated.jpg"), jpeg[..(jpeg.Length / 2)]);
        Directory.CreateDirectory(Path.Combine(root, "malignant", "x.jpg"));
        Fixtures.WriteImage(Path.Combine(root, "malignant", "x.jpg", "inside.png"), Fixtures.Pattern(20, 16, 30), 20, 16);
        Directory.CreateSymbolicLink(Path.Combine(root, "benign", "loop"), "..");                         // folder link to the root
        File.CreateSymbolicLink(Path.Combine(root, "malignant", "self.jpg"), "self.jpg");                  // file link to itself
        Directory.CreateSymbolicLink(Path.Combine(root, "malignant", "ping"), "pong");                     // two links to each other
        Directory.CreateSymbolicLink(Path.Combine(root, "malignant", "pong"), "ping");
        return root;
    }

    [Fact]
    public void Data_stats_reports_and_skips_every_hostile_file_and_leaves_the_folder_unchanged()
    {
        using var tmp = new TempDir();
        var root = HostileFolder(tmp);
        var before = Listing(root);
        var output = new StringWriter();
        var previous = AnsiConsole.Console;
        AnsiConsole.Console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(output), Ansi = AnsiSupport.No });
        int code;
        try
        {
            code = CliApp.Run(["data", "stats", "--data", root, "--image-size", "8", "--cache-dir", tmp.Sub("cache"), "--out", tmp.Sub("out")]);
        }
        finally { AnsiConsole.Console = previous; }
        var text = output.ToString().Replace("\n", " ");
        Assert.True(code == 0, text);
        Assert.Contains("ImageFolder, 6 images", text);
        Assert.Contains("skipped unreadable, corrupt or non-image files: 8 (benign/empty.jpg (empty file (0 bytes))", text);
        Assert.Contains("skipped.txt (8 skipped", text);
        var skipped = File.ReadAllText(tmp.Sub("out", "skipped.txt"));
        Assert.Contains("benign/huge.png (60000×60000 = 3600 megapixels, above the pixel limit of 80 megapixels (--max-pixels))", skipped);
        Assert.Contains("benign/empty.jpg (empty file (0 bytes))", skipped);
        Assert.Contains("malignant/truncated.jpg (truncated image)", skipped);
        Assert.Contains("malignant/x.jpg (a folder, not an image file)", skipped);
        Assert.Contains("benign/loop (symbolic link loop", skipped);
        Assert.Contains("malignant/self.jpg (", skipped);
        Assert.Contains("malignant/ping (", skipped);
        Assert.DoesNotContain("inside.png", skipped);                  // the x.jpg folder is not entered
        Assert.Equal(8, skipped.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length);
        Assert.Equal(before, Listing(root));
        Assert.True(File.Exists(tmp.Sub("out", "split.csv")));
    }

    [Fact]
    public void The_loader_lists_each_hostile_entry_once_with_its_reason()
    {
        using var tmp = new TempDir();
        var root = HostileFolder(tmp);
        var before = Listing(root);
        using var ds = DatasetLoader.Open(root, Fixtures.Options(tmp, size: 8));
        Assert.Equal(6, ds.Count);
        Assert.Equal(["benign", "malignant"], ds.ClassNames);
        var skipped = SourceFiles.Scan(root).Skipped;
        Assert.Contains(skipped, s => s.StartsWith("benign/loop (symbolic link loop"));
        Assert.Contains(skipped, s => s.StartsWith("malignant/x.jpg (a folder"));
        Assert.Contains(skipped, s => s.StartsWith("malignant/self.jpg ("));
        Assert.Contains(skipped, s => s.StartsWith("malignant/ping ("));
        Assert.Contains(skipped, s => s.StartsWith("malignant/pong ("));
        // Skipped while listing (5) + refused or failed while decoding: huge.png, empty.jpg, truncated.jpg.
        Assert.Equal(skipped.Count + 3, ds.Report.Unreadable.Count);
        Assert.Equal(before, Listing(root));
    }

    [Fact]
    public void The_pixel_limit_is_read_from_the_header_and_can_be_lowered()
    {
        using var tmp = new TempDir();
        var huge = tmp.Sub("huge.png");
        File.WriteAllBytes(huge, PngBytes.LyingHeader(60000, 60000));
        var rgb = new byte[8 * 8 * 3];
        Assert.False(ImageDecoder.TryDecodeSquare(huge, 8, DataOptions.DefaultMaxPixels, rgb, out var error));
        Assert.Contains("3600 megapixels, above the pixel limit of 80 megapixels (--max-pixels)", error);
        // Without a limit, the decoded size is still checked before anything is allocated.
        Assert.False(ImageDecoder.TryDecodeSquare(huge, 8, long.MaxValue, rgb, out error));
        Assert.Contains("too large to decode", error);

        var small = tmp.Sub("small.png");
        Fixtures.WriteImage(small, Fixtures.Pattern(40, 30, 1), 40, 30);
        Assert.True(ImageDecoder.TryDecodeSquare(small, 8, 1200, rgb, out error), error);
        Assert.False(ImageDecoder.TryDecodeSquare(small, 8, 1199, rgb, out error));
        Assert.Contains("40×30", error);
    }
}
