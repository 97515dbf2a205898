using System.Text;
using System.Text.Json;
using IlgpuVq.Cli.Commands;
using IlgpuVq.Data;
using IlgpuVq.Models.Prior;
using static IlgpuVq.Tests.Cli.CliRun;

namespace IlgpuVq.Tests.Cli;

/// <summary>
/// A VQ-VAE run records how its data was labelled and split (config.json's data: <c>labels</c>, <c>max_pixels</c>,
/// <c>split_source</c>), and every command that reads the run reopens the same labelled data without repeating the
/// options: <c>reconstruct</c>, <c>train prior</c> (class-conditional with the CSV's class names) and <c>--resume</c>,
/// which refuses a label option that differs from the run's.
/// </summary>
public class LabelledRunTests : IDisposable
{
    readonly string dir = Directory.CreateTempSubdirectory("ilgpuvq-labelled-").FullName;
    public void Dispose() => Directory.Delete(dir, recursive: true);

    string P(string name) => Path.Combine(dir, name);

    string[] TinyVqVae(string data) => ["train", "vqvae", "--preset", "demo", "--data", data, "--image-size", "16", "--batch-size", "8", "--device", "cpu",
        "--num-codes", "8", "--embedding-dim", "4", "--seed", "5", "--cache-dir", P("cache"), "--epochs", "1"];

    static JsonElement Data(string run) => JsonDocument.Parse(File.ReadAllText(Path.Combine(run, "config.json"))).RootElement.GetProperty("data");

    /// <summary>A 16×16 PNG whose colours depend on <paramref name="value"/>.</summary>
    static void Image(string path, int value)
    {
        var rgb = new byte[16 * 16 * 3];
        for (var k = 0; k < 16 * 16; k++)
        {
            rgb[3 * k] = (byte)(30 + value * 37 % 200);
            rgb[3 * k + 1] = (byte)(40 + k % 16 * 10);
            rgb[3 * k + 2] = (byte)(40 + (k / 16 * value) % 180);
        }
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        ImageDecoder.SaveRgb(path, rgb, 16, 16);
    }

    static readonly string[] Kinds = ["dog", "sea, lakes", "cat"];

    /// <summary>24 plain images and, outside the folder, a CSV with two label columns: kind (3 classes, one with a comma) and alt.</summary>
    (string Data, string Csv) LabelledFolder()
    {
        var csv = new StringBuilder("file,kind,alt\n");
        for (var i = 0; i < 24; i++)
        {
            Image(P($"photos/img{i:D2}.png"), i);
            csv.Append($"img{i:D2}.png,\"{Kinds[i % 3]}\",{(i % 2 == 0 ? "even" : "odd")}\n");
        }
        File.WriteAllText(P("labels.csv"), csv.ToString());
        return (P("photos"), P("labels.csv"));
    }

    [Fact]
    public void RunTrainedWithLabelsReopensLabelledAndResumeRefusesAnotherLabelColumn()
    {
        var (data, csv) = LabelledFolder();
        Assert.Equal(0, Run([.. TinyVqVae(data), "--test-size", "6", "--labels", csv, "--label-column", "kind", "--max-pixels", "1000000", "--out", P("vq")]).Code);
        var recorded = Data(P("vq"));
        Assert.Equal(Path.GetFullPath(csv), recorded.GetProperty("labels").GetProperty("csv").GetString());
        Assert.Equal(["kind"], recorded.GetProperty("labels").GetProperty("columns").EnumerateArray().Select(c => c.GetString()!));
        Assert.Equal(JsonValueKind.Null, recorded.GetProperty("labels").GetProperty("id_column").ValueKind);
        Assert.Equal(1000000, recorded.GetProperty("max_pixels").GetInt64());
        Assert.Equal("seed 5", recorded.GetProperty("split_source").GetString());
        Assert.Equal(5, recorded.GetProperty("split_seed").GetInt32());
        var info = VqVaeRunInfo.Read(P("vq/checkpoints/best"))!;
        Assert.Equal(Path.GetFullPath(csv), info.Labels!.Csv);
        Assert.Equal(["kind"], info.Labels.Columns);
        Assert.Equal(1000000, info.MaxPixels);

        // No data options at all: the run's labelled folder, pixel limit and split (a reopened unlabelled folder would not match split.csv).
        Assert.Equal(0, Run("reconstruct", "--vqvae", P("vq"), "--out", P("r"), "--device", "cpu").Code);
        Assert.Equal(TestMse(P("vq/test_metrics.json")), TestMse(P("r/reconstructions_test.json")));

        Assert.Equal(0, Run("train", "prior", "--vqvae", P("vq"), "--layers", "1", "--channels", "8", "--head-channels", "8", "--batch-size", "8",
            "--epochs", "1", "--out", P("prior"), "--device", "cpu").Code);
        using (var model = PixelCnnVqVae.Load(TestDevices.Get("cpu"), P("vq"), P("prior")))
        {
            Assert.True(model.Prior.Config.ClassConditional);
            Assert.Equal(["cat", "dog", "sea, lakes"], model.ClassNames);
        }

        var (code, error) = Run("train", "vqvae", "--resume", "--out", P("vq"), "--epochs", "2", "--label-column", "alt", "--max-pixels", "1000000");
        Assert.Equal(2, code);
        Assert.Contains("--label-column alt (the run has kind)", error);
        Assert.DoesNotContain("--max-pixels", error); // given, but the run's own value
        Assert.Single(File.ReadLines(P("vq/metrics.jsonl"))); // nothing was trained
        (code, error) = Run("train", "vqvae", "--resume", "--out", P("vq"), "--epochs", "2", "--max-pixels", "2000000");
        Assert.Equal(2, code);
        Assert.Contains("--max-pixels 2000000 (the run has 1000000)", error);
    }

    [Fact]
    public void GivenTrainAndTestFoldersAreRecordedAsTheSplitAndReconstructReproducesTheTestMse()
    {
        for (var i = 0; i < 6; i++)
        {
            Image(P($"given/train/benign/b{i}.png"), i);
            Image(P($"given/train/malignant/m{i}.png"), 10 + i);
        }
        for (var i = 0; i < 2; i++)
        {
            Image(P($"given/test/benign/b{i}.png"), 20 + i);
            Image(P($"given/test/malignant/m{i}.png"), 30 + i);
        }
        Assert.Equal(0, Run([.. TinyVqVae(P("given")), "--out", P("vq")]).Code);
        var recorded = Data(P("vq"));
        Assert.StartsWith("given by the train/ and test/ folders", recorded.GetProperty("split_source").GetString());
        Assert.Equal(JsonValueKind.Null, recorded.GetProperty("split_seed").ValueKind); // no seed made this split
        Assert.Equal(5, recorded.GetProperty("seed").GetInt32());
        Assert.Equal(4, recorded.GetProperty("test").GetInt32());
        Assert.Equal(JsonValueKind.Null, recorded.GetProperty("labels").ValueKind);

        Assert.Equal(0, Run("reconstruct", "--vqvae", P("vq"), "--out", P("r"), "--device", "cpu").Code);
        Assert.Equal(TestMse(P("vq/test_metrics.json")), TestMse(P("r/reconstructions_test.json")));

        // A resumed run reads its split from split.csv and still says it was given.
        Assert.Equal(0, Run("train", "vqvae", "--resume", "--out", P("vq"), "--epochs", "2").Code);
        recorded = Data(P("vq"));
        Assert.StartsWith("given by the train/ and test/ folders", recorded.GetProperty("split_source").GetString());
        Assert.Equal(JsonValueKind.Null, recorded.GetProperty("split_seed").ValueKind);
    }
}
