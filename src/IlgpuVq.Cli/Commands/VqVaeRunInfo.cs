using System.Text.Json;
using IlgpuVq.Data;

namespace IlgpuVq.Cli.Commands;

/// <summary>What a VQ-VAE run folder says about its data: the <c>--data</c> spec, image size, seed and split.</summary>
public sealed record VqVaeRunInfo(string DataSpec, int ImageSize, int Seed, string SplitCsv)
{
    /// <summary>Reads config.json and split.csv of a VQ-VAE run folder; null when the path is not a run folder.</summary>
    public static VqVaeRunInfo? Read(string vqvaePath)
    {
        var config = Path.Combine(vqvaePath, "config.json");
        var split = Path.Combine(vqvaePath, "split.csv");
        if (!File.Exists(config) || !File.Exists(split)) return null;
        using var doc = JsonDocument.Parse(File.ReadAllText(config));
        var data = doc.RootElement.GetProperty("data");
        return new VqVaeRunInfo(data.GetProperty("spec").GetString()!, data.GetProperty("image_size").GetInt32(),
            data.GetProperty("split_seed").GetInt32(), split);
    }

    /// <summary>Opens the run's dataset at its image size and reads its split.</summary>
    public (ILesionDataset Dataset, DataSplit Split) Open(string? cacheDir)
    {
        var dataset = DatasetLoader.Open(DataSpec, new DataOptions { ImageSize = ImageSize, Seed = Seed, CacheDir = cacheDir ?? DataOptions.DefaultCacheDir });
        return (dataset, DataSplit.ReadCsv(SplitCsv, dataset));
    }
}
