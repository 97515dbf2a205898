using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using System.Text;
using IlgpuVq.Data;
using IlgpuVq.Engine.Devices;
using IlgpuVq.Models.Prior;
using IlgpuVq.Models.Training;
using IlgpuVq.Models.VqVae;
using Spectre.Console;

namespace IlgpuVq.Cli.Commands;

/// <summary>The sizes of the demo pipeline, chosen to finish well inside 15 minutes on a 2-core CPU: about 7 minutes with AVX-512,
/// an estimated 11–12 with AVX2 only (the native backend runs the ref step 1.6× slower there).</summary>
public sealed record DemoPlan
{
    public int Images { get; init; } = 4000;
    public int ImageSize { get; init; } = 64;
    public VqVaeConfig VqVae { get; init; } = VqVaeConfig.Preset("demo") with
    {
        Hidden = 64, ResidualHidden = 32, ResidualBlocks = 2, NumCodes = 128, EmbeddingDim = 32, Ema = true, DeadCodeWindow = 50,
    };
    public int VqVaeEpochs { get; init; } = 16;
    public float VqVaeLr { get; init; } = 2e-3f;
    public PixelCnnConfig Prior { get; init; } = new() { Channels = 64, Layers = 10, HeadChannels = 128 };
    public int PriorEpochs { get; init; } = 8;
    public float PriorLr { get; init; } = 2e-3f;
    public int BatchSize { get; init; } = 32;
    public int Samples { get; init; } = 70;

    /// <summary>A plan small enough for a test (seconds, not minutes).</summary>
    public static DemoPlan Tiny => new()
    {
        Images = 48, ImageSize = 16, VqVaeEpochs = 1, PriorEpochs = 1, BatchSize = 8, Samples = 7,
        VqVae = new VqVaeConfig { Hidden = 8, ResidualHidden = 4, ResidualBlocks = 1, EmbeddingDim = 4, NumCodes = 8, Ema = true, DeadCodeWindow = 5 },
        Prior = new PixelCnnConfig { Channels = 8, Layers = 1, HeadChannels = 8 },
    };
}

/// <summary>
/// <c>ilgpuvq demo</c>: the whole pipeline on the embedded synthetic dataset — data figures, VQ-VAE training
/// with reconstruction grids and loss plots, test PSNR/SSIM, prior training, class-conditional samples (a row
/// per class) and summary.md listing every artifact and the key numbers.
/// </summary>
public static class DemoCommand
{
    public static Command Create()
    {
        var outDir = new Option<string>("--out") { Description = "demo folder (must not exist yet)", DefaultValueFactory = _ => "runs/demo" };
        var device = DeviceOption.Create();
        var seed = new Option<int>("--seed") { DefaultValueFactory = _ => 0 };
        var cmd = new Command("demo", "Run the whole pipeline on synthetic lesions: data figures, VQ-VAE, prior, samples, summary.md") { outDir, device, seed };
        cmd.SetAction(parse =>
        {
            Run(DeviceOption.Open(parse.GetValue(device)!), parse.GetValue(outDir)!, new DemoPlan(), parse.GetValue(seed));
            return 0;
        });
        return cmd;
    }

    public static void Run(ComputeDevice device, string outDir, DemoPlan plan, int seed)
    {
        if (Directory.Exists(outDir) && Directory.EnumerateFileSystemEntries(outDir).Any())
            throw new UserError($"'{outDir}' already exists and is not empty; choose another --out or remove it (nothing was overwritten)");
        var clock = Stopwatch.StartNew();
        var root = Path.GetFullPath(outDir);
        var spec = $"synthetic:{plan.Images}:{plan.ImageSize}";
        using var cts = VqVaeJob.CancelOnCtrlC();
        AnsiConsole.MarkupLine($"[bold]demo[/] on {device.Name}: {spec} → {Markup.Escape(root)}");

        using var dataset = DatasetLoader.Open(spec, new DataOptions { ImageSize = plan.ImageSize, Seed = seed, Downsample = plan.VqVae.Downsample });
        var dataDir = Path.Combine(root, "data");
        Directory.CreateDirectory(dataDir);
        var split = DataSplit.Create(dataset, TestSize.Default, seed);
        ClassDistributionPlot.Save(Path.Combine(dataDir, "class_distribution.png"), dataset.ClassNames,
            DataSplit.CountByClass(dataset, split.Train), DataSplit.CountByClass(dataset, split.Test), "Synthetic lesions per class");
        AugmentedGrid.Save(Path.Combine(dataDir, "augmented_grid.png"), dataset, split.Train, seed, AugmentOptions.Default);

        var vqDir = Path.Combine(root, "vqvae");
        var vqSettings = new VqVaeSettings { Preset = "demo", Model = plan.VqVae, BatchSize = plan.BatchSize, LearningRate = plan.VqVaeLr, WeightDecay = 1e-4f, Seed = (ulong)seed };
        var (vqResult, recon) = VqVaeJob.Run(device, dataset, new VqVaeJobOptions(
            new TrainingOptions { OutDir = vqDir, Epochs = plan.VqVaeEpochs, GridEvery = 1 }, vqSettings, spec, TestSize.Default, seed, true, false), cts.Token);
        if (vqResult.Interrupted) return;
        var vqSeconds = clock.Elapsed.TotalSeconds;
        device.EmptyCache(); // the VQ-VAE phase's pooled buffers are not the prior's sizes

        var priorDir = Path.Combine(root, "prior");
        var priorResult = TrainPriorCommand.Run(device, new PriorJobOptions(
            new TrainingOptions { OutDir = priorDir, Epochs = plan.PriorEpochs, GridEvery = Math.Max(1, plan.PriorEpochs / 3) },
            new PriorSettings { Model = plan.Prior, BatchSize = plan.BatchSize, LearningRate = plan.PriorLr }, vqDir, null, null), cts.Token);
        if (priorResult.Interrupted) return;
        var priorSeconds = clock.Elapsed.TotalSeconds - vqSeconds;
        device.EmptyCache();

        var samplesPath = Path.Combine(root, "samples.png");
        var sampleClock = Stopwatch.StartNew();
        using (var model = PixelCnnVqVae.Load(device, vqDir, priorDir))
        {
            int rows = Math.Max(1, model.ClassNames.Count), perRow = (plan.Samples + rows - 1) / rows;
            model.SampleGrid(perRow, 1f, (ulong)seed + 1).Save(samplesPath);
        }
        var sampleSeconds = sampleClock.Elapsed.TotalSeconds;
        WriteSummary(root, plan, device, vqResult, recon!, priorResult, vqSeconds, priorSeconds, sampleSeconds, clock.Elapsed.TotalSeconds);
        AnsiConsole.MarkupLine($"[green]demo done[/] in {clock.Elapsed.TotalMinutes:0.0} min: {Markup.Escape(Path.Combine(root, "summary.md"))}");
    }

    static void WriteSummary(string root, DemoPlan plan, ComputeDevice device, TrainResult vq, Models.Evaluation.ReconstructionMetrics recon,
        TrainResult prior, double vqSeconds, double priorSeconds, double sampleSeconds, double totalSeconds)
    {
        string F(double v, string format = "0.0000") => v.ToString(format, CultureInfo.InvariantCulture);
        var lastVq = vq.Metrics[^1];
        var lastPrior = prior.Metrics[^1];
        var s = new StringBuilder();
        s.AppendLine("# IlgpuVq demo").AppendLine();
        s.AppendLine($"Synthetic lesions, {plan.Images} images of {plan.ImageSize}×{plan.ImageSize}, device `{device.Name}`, total {F(totalSeconds / 60, "0.0")} min " +
                     $"(VQ-VAE {F(vqSeconds, "0")} s, prior {F(priorSeconds, "0")} s, sampling {F(sampleSeconds, "0.0")} s).").AppendLine();
        s.AppendLine("## Key numbers").AppendLine();
        s.AppendLine("| what | value |").AppendLine("|---|---|");
        s.AppendLine($"| VQ-VAE epochs / steps | {vq.EpochsCompleted} / {vq.Steps} |");
        s.AppendLine($"| VQ-VAE val reconstruction loss (MSE in [-1,1]) | {F(lastVq["val_recon_loss"])} |");
        s.AppendLine($"| codebook perplexity / codes used (of {plan.VqVae.NumCodes}) | {F(lastVq["perplexity"], "0.0")} / {lastVq["codes_used"]} |");
        s.AppendLine($"| test reconstructions: MSE / PSNR / SSIM | {F(recon.Mse, "0.00000")} / {F(recon.Psnr, "0.00")} dB / {F(recon.Ssim)} |");
        s.AppendLine($"| prior epochs / steps | {prior.EpochsCompleted} / {prior.Steps} |");
        s.AppendLine($"| prior val NLL (nats per code) / bits per dim | {F(lastPrior["val_nll"])} / {F(lastPrior["val_bits_per_dim"])} |");
        s.AppendLine($"| uniform prior NLL for comparison (ln K) | {F(Math.Log(plan.VqVae.NumCodes))} |").AppendLine();
        s.AppendLine("## Artifacts").AppendLine();
        foreach (var file in Directory.EnumerateFiles(root, "*", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
        {
            var rel = Path.GetRelativePath(root, file).Replace('\\', '/');
            if (rel.EndsWith(".safetensors") && !rel.Contains("/best/") && !rel.EndsWith("codes.safetensors")) continue;
            s.AppendLine($"- [`{rel}`]({rel})");
        }
        s.AppendLine().AppendLine("![samples](samples.png)");
        File.WriteAllText(Path.Combine(root, "summary.md"), s.ToString());
    }
}
