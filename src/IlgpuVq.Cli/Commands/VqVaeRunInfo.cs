using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using IlgpuVq.Data;

namespace IlgpuVq.Cli.Commands;

/// <summary>What a VQ-VAE run folder says about its data: the <c>--data</c> spec, image size, seed, split, label options
/// (<c>--labels</c> with an absolute path, so the run reopens labelled from any folder), pixel limit and the options the
/// run was trained with (config.json's <c>options</c>; empty for runs written before they were recorded; so are
/// <paramref name="Labels"/> and <paramref name="MaxPixels"/>, which then come from the options).</summary>
public sealed record VqVaeRunInfo(string DataSpec, int ImageSize, int Seed, string SplitCsv, IReadOnlyDictionary<string, string> Options,
    LabelsSpec? Labels = null, long? MaxPixels = null)
{
    /// <summary>Reads config.json and split.csv of a VQ-VAE run folder; null when the path is not a run folder.</summary>
    public static VqVaeRunInfo? Read(string vqvaePath)
    {
        vqvaePath = RunFolderOf(vqvaePath);
        var config = Path.Combine(vqvaePath, "config.json");
        var split = Path.Combine(vqvaePath, "split.csv");
        if (!File.Exists(config) || !File.Exists(split)) return null;
        return RunConfigJson.Read(config, root =>
        {
            var data = root.GetProperty("data");
            var options = root.TryGetProperty("options", out var o)
                ? o.EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetString()!)
                : new Dictionary<string, string>();
            var seed = data.TryGetProperty("seed", out var s) ? s : data.GetProperty("split_seed"); // runs before "seed" have only split_seed
            return new VqVaeRunInfo(data.GetProperty("spec").GetString()!, data.GetProperty("image_size").GetInt32(), seed.GetInt32(), split, options,
                data.TryGetProperty("labels", out var l) && l.ValueKind == JsonValueKind.Object ? ReadLabels(l) : null,
                data.TryGetProperty("max_pixels", out var m) ? m.GetInt64() : null);
        });
    }

    static LabelsSpec ReadLabels(JsonElement labels) => new(labels.GetProperty("csv").GetString()!,
        [.. labels.GetProperty("columns").EnumerateArray().Select(c => c.GetString()!)],
        labels.GetProperty("id_column") is { ValueKind: JsonValueKind.String } id ? id.GetString() : null);

    /// <summary>The run folder of a checkpoint path (RUN/checkpoints/NAME[/model.safetensors] → RUN); other paths unchanged.</summary>
    static string RunFolderOf(string path)
    {
        var full = Path.GetFullPath(path);
        if (File.Exists(full)) full = Path.GetDirectoryName(full)!;
        var parent = Path.GetDirectoryName(full);
        return parent != null && Path.GetFileName(parent) == "checkpoints" ? Path.GetDirectoryName(parent)! : full;
    }

    /// <summary>The run's data settings as options: <c>--data</c>, <c>--image-size</c>, <c>--seed</c>, the label options and
    /// <c>--max-pixels</c> from config.json's data, then every other recorded option.</summary>
    Dictionary<string, string> DataValues()
    {
        var values = new Dictionary<string, string>(Options)
        {
            ["--data"] = DataSpec, ["--image-size"] = ImageSize.ToString(CultureInfo.InvariantCulture), ["--seed"] = Seed.ToString(CultureInfo.InvariantCulture),
        };
        if (Labels is { } labels)
        {
            values["--labels"] = labels.Csv;
            values["--label-column"] = string.Join(',', labels.Columns);
            if (labels.IdColumn is { } id) values["--id-column"] = id;
        }
        if (MaxPixels is { } max) values["--max-pixels"] = max.ToString(CultureInfo.InvariantCulture);
        return values;
    }

    /// <summary>
    /// <paramref name="parse"/>'s command line with the run's data settings for every option of the command that the user
    /// did not give (so a command that reads the run evaluates at the trained size, on the run's data, with its split).
    /// </summary>
    public ParseResult WithRunDefaults(ParseResult parse) => RunArguments.WithDefaults(parse, DataValues(), $"the VQ-VAE run ({DataSpec})");

    /// <summary>Opens the run's dataset with the run's data settings (at its image size) and reads its split.</summary>
    public (ILesionDataset Dataset, DataSplit Split) Open(string? cacheDir)
    {
        var data = new DataCliOptions();
        var command = new Command("data");
        data.AddTo(command);
        var parse = WithRunDefaults(command.Parse(cacheDir == null ? [] : ["--cache-dir", cacheDir]));
        var dataset = data.Open(parse);
        return (dataset, DataSplit.ReadCsv(SplitCsv, dataset));
    }
}
