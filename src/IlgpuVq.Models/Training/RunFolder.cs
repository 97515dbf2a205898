namespace IlgpuVq.Models.Training;

/// <summary>
/// The layout of a training run's folder: <c>config.json</c>, <c>metrics.jsonl</c>, <c>metrics.csv</c>,
/// <c>plots/losses.png</c>, image grids, <c>split.csv</c> and <c>checkpoints/</c>.
/// </summary>
public sealed class RunFolder
{
    public RunFolder(string root)
    {
        Root = Path.GetFullPath(root);
    }

    public string Root { get; }
    public string Config => Path.Combine(Root, "config.json");
    public string MetricsJsonl => Path.Combine(Root, "metrics.jsonl");
    public string MetricsCsv => Path.Combine(Root, "metrics.csv");
    public string Split => Path.Combine(Root, "split.csv");
    public string LossPlot => Path.Combine(Root, "plots", "losses.png");
    public string Checkpoints => Path.Combine(Root, "checkpoints");
    public string TestMetrics => Path.Combine(Root, "test_metrics.json");

    /// <summary>A file under a subfolder (created on demand), e.g. <c>Grid("recon", 3)</c> → <c>recon/epoch_0003.png</c>.</summary>
    public string Grid(string folder, int epoch)
    {
        var dir = Path.Combine(Root, folder);
        Directory.CreateDirectory(dir);
        return Path.Combine(dir, $"epoch_{epoch:D4}.png");
    }

    public void Create()
    {
        Directory.CreateDirectory(Root);
        Directory.CreateDirectory(Path.Combine(Root, "plots"));
        Directory.CreateDirectory(Checkpoints);
    }
}
