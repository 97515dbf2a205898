using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using System.Text;
using IlgpuVq.Data;
using IlgpuVq.Engine.Devices;
using IlgpuVq.Models.Classifier;
using IlgpuVq.Models.Evaluation;
using IlgpuVq.Models.Prior;
using IlgpuVq.Models.Training;
using IlgpuVq.Models.VqVae;
using Spectre.Console;

namespace IlgpuVq.Cli.Commands;

/// <summary>The demo pipeline: the <c>demo</c> preset's models and schedules (<see cref="ModelPreset.Demo"/>) on 4000 synthetic
/// 32 px images (an 8×8 code grid), and how many samples it draws and evaluates.</summary>
public sealed record DemoPlan
{
    public int Images { get; init; } = 4000;
    public int ImageSize { get; init; } = 32;
    public ModelPreset Preset { get; init; } = ModelPreset.Demo;
    public int Samples { get; init; } = 70;
    /// <summary>Samples per class that <c>evaluate</c> measures; samples.png shows the first <see cref="Samples"/> / classes of each.
    /// At 20 per class one sample moves a class's consistency by 0.05, and seeds 1–3 spread the mean by ±0.04; 40 halves that
    /// for 2 s more of sampling.</summary>
    public int EvaluationSamplesPerClass { get; init; } = 40;
    /// <summary>The classifier-free guidance scale of the evaluated samples (the preset's prior trains with label dropout 0.2).
    /// Measured on the demo's models (README, sample-quality table; seeds 1–3, 20 per class): class consistency 0.83–0.91 at s = 2,
    /// 0.90–0.94 at 2.5 and 0.89–0.93 at 3, while the Fréchet distance grows with s (≈ 1000 / 1070 / 1190 against a floor of
    /// ≈ 820) and recall falls (0.89 / 0.90 / 0.78); 2.5 clears the consistency target with the most room in the other two.</summary>
    public float Guidance { get; init; } = 2.5f;

    /// <summary>A plan small enough for a test (seconds, not minutes).</summary>
    public static DemoPlan Tiny => new()
    {
        Images = 48, ImageSize = 16, Samples = 7, EvaluationSamplesPerClass = 3,
        Preset = new ModelPreset
        {
            Name = "tiny",
            VqVae = new VqVaeConfig { Hidden = 8, ResidualHidden = 4, ResidualBlocks = 1, EmbeddingDim = 4, NumCodes = 8, Ema = true, DeadCodeWindow = 5 },
            VqVaeSchedule = new(1, 8, 2e-3f),
            Prior = new PixelCnnConfig { Channels = 8, Layers = 1, HeadChannels = 8, LabelDropout = ModelPreset.Demo.Prior.LabelDropout }, PriorSchedule = new(1, 8, 2e-3f),
            Classifier = new ClassifierConfig { Width = 4, BlocksPerStage = 1 }, ClassifierSchedule = new(1, 8, 2e-3f),
        },
    };
}

/// <summary>
/// <c>ilgpuvq demo</c>: the whole pipeline on the embedded synthetic dataset — data figures, VQ-VAE training
/// with reconstruction grids and loss plots, test PSNR/SSIM, prior training, class-conditional samples (a row
/// per class), the evaluator classifier, measured sample quality (evaluation/evaluation.json, nearest.png) and summary.md
/// listing every artifact and the key numbers.
/// </summary>
public static class DemoCommand
{
    public static Command Create()
    {
        var outDir = OutOption.Create("data/, vqvae/, prior/, classifier/, evaluation/, samples.png and summary.md (new or empty)", defaultFolder: "runs/demo");
        var device = DeviceOption.Create();
        var seed = SeedOption.Create("the data, the split, training and the samples");
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
        using var cts = new CtrlCStop();
        AnsiConsole.MarkupLine($"[bold]demo[/] on {device.Name}: {spec} → {Markup.Escape(root)}");

        var preset = plan.Preset;
        using var dataset = DatasetLoader.Open(spec, new DataOptions { ImageSize = plan.ImageSize, Seed = seed, Downsample = preset.VqVae.Downsample });
        var dataDir = Path.Combine(root, "data");
        Directory.CreateDirectory(dataDir);
        var split = DataSplit.Create(dataset, TestSize.Default, seed);
        ClassDistributionPlot.Save(Path.Combine(dataDir, "class_distribution.png"), dataset.ClassNames,
            DataSplit.CountByClass(dataset, split.Train), DataSplit.CountByClass(dataset, split.Test), "Synthetic lesions per class");
        AugmentedGrid.Save(Path.Combine(dataDir, "augmented_grid.png"), dataset, split.Train, seed, AugmentOptions.Default);
        var schedule = DemoSchedule.Estimate(device, plan, split.Train.Length, split.Test.Length);
        schedule.Print();

        schedule.Begin(0);
        var vqDir = Path.Combine(root, "vqvae");
        var vqSettings = preset.VqVaeSchedule.Apply(new VqVaeSettings { Preset = preset.Name, Model = preset.VqVae, Seed = (ulong)seed });
        // Class-balanced batches (as `train vqvae --balance`): with the data's skew the rare classes' colours and textures got too
        // few codes, and the classifier recognised only 60 % of the VQ-VAE's reconstructions (vasc and akiec none); balanced, 83 %.
        var (vqResult, recon) = VqVaeJob.Run(device, dataset, new VqVaeJobOptions(
            new TrainingOptions { OutDir = vqDir, Epochs = preset.VqVaeSchedule.Epochs, GridEvery = 1 }, vqSettings, spec, TestSize.Default, seed,
            Augment: true, Balance: true), cts.Token);
        if (vqResult.Interrupted) return;
        var vqSeconds = clock.Elapsed.TotalSeconds;
        device.EmptyCache(); // the VQ-VAE phase's pooled buffers are not the prior's sizes

        schedule.Begin(1);
        var priorDir = Path.Combine(root, "prior");
        // Class-balanced code maps (as `train prior --balance`), with their flips (the default): 50 vasc maps were too few for the
        // guided vasc samples to be recognised (0–5 %); balanced alone the prior overfit them, balanced with the flips' maps 45–90 %.
        var priorResult = TrainPriorCommand.Run(device, new PriorJobOptions(
            new TrainingOptions
            {
                OutDir = priorDir, Epochs = preset.PriorSchedule.Epochs, GridEvery = Math.Max(1, preset.PriorSchedule.Epochs / 3), LrSchedule = preset.PriorSchedule.LrSchedule,
            },
            preset.PriorSchedule.Apply(new PriorSettings { Model = preset.Prior, Balance = true }), vqDir, null, null), cts.Token);
        if (priorResult.Interrupted) return;
        var priorSeconds = clock.Elapsed.TotalSeconds - vqSeconds;
        device.EmptyCache();

        schedule.Begin(2);
        var classifierDir = Path.Combine(root, "classifier");
        var (classifierResult, classifierReport) = ClassifierCommand.Run(device, dataset, new ClassifierJobOptions(
            new TrainingOptions { OutDir = classifierDir, Epochs = preset.ClassifierSchedule.Epochs },
            preset.ClassifierSchedule.Apply(new ClassifierSettings
            {
                Model = preset.ClassifierFor(dataset.ClassNames.Count, plan.ImageSize), Seed = (ulong)seed, ClassNames = dataset.ClassNames,
            }), spec, TestSize.Default, seed, Balance: true), cts.Token);
        if (classifierResult.Interrupted) return;
        var classifierSeconds = clock.Elapsed.TotalSeconds - vqSeconds - priorSeconds;

        schedule.Begin(3);
        var sampleClock = Stopwatch.StartNew();
        var evaluation = EvaluateCommand.Run(device, new EvaluationInputs(vqDir, priorDir, classifierDir, null),
            new SampleEvaluationOptions { Count = plan.EvaluationSamplesPerClass, Temperature = 1f, Guidance = plan.Guidance, Seed = (ulong)seed + 1 },
            Path.Combine(root, "evaluation"), dataset);
        EvaluateCommand.Print(evaluation);
        SaveSampleGrid(Path.Combine(root, "samples.png"), evaluation, plan, dataset.ClassNames);
        var sampleSeconds = sampleClock.Elapsed.TotalSeconds;
        WriteSummary(root, plan, device, schedule, vqResult, recon!, priorResult, classifierReport!, evaluation,
            new StageSeconds(vqSeconds, priorSeconds, classifierSeconds, sampleSeconds, evaluation.SamplingSeconds, clock.Elapsed.TotalSeconds));
        AnsiConsole.MarkupLine($"[green]demo done[/] in {clock.Elapsed.TotalMinutes:0.0} min: {Markup.Escape(Path.Combine(root, "summary.md"))}");
    }

    /// <summary>Wall time of each stage; <see cref="Evaluation"/> includes <see cref="Sampling"/>.</summary>
    sealed record StageSeconds(double VqVae, double Prior, double Classifier, double Evaluation, double Sampling, double Total);

    /// <summary>samples.png: a row per class with the first samples of that class from the evaluation.</summary>
    static void SaveSampleGrid(string path, SampleEvaluation evaluation, DemoPlan plan, IReadOnlyList<string> classNames)
    {
        int size = plan.ImageSize, per = 3 * size * size, rows = evaluation.Conditional ? classNames.Count : 1;
        int perRow = Math.Min(evaluation.Samples / rows, Math.Max(1, (plan.Samples + rows - 1) / rows));
        var shown = Enumerable.Range(0, evaluation.Samples).GroupBy(i => evaluation.SampleClasses[i]).SelectMany(g => g.Take(perRow))
            .Select(i => evaluation.Images[(i * per)..((i + 1) * per)]).ToList();
        ImageGrid.Save(path, shown, size, perRow, evaluation.Conditional ? classNames : null, TrainingFigures.GridScale(size));
    }

    static void WriteSummary(string root, DemoPlan plan, ComputeDevice device, DemoSchedule schedule, TrainResult vq, Models.Evaluation.ReconstructionMetrics recon,
        TrainResult prior, ClassificationReport classifier, SampleEvaluation quality, StageSeconds seconds)
    {
        string F(double v, string format = "0.0000") => v.ToString(format, CultureInfo.InvariantCulture);
        var lastVq = vq.Metrics[^1];
        var lastPrior = prior.Metrics[^1];
        var s = new StringBuilder();
        s.AppendLine("# IlgpuVq demo").AppendLine();
        s.AppendLine($"Synthetic lesions, {plan.Images} images of {plan.ImageSize}×{plan.ImageSize}, device `{device.Name}`, total {F(seconds.Total / 60, "0.0")} min " +
                     $"(VQ-VAE {F(seconds.VqVae, "0")} s, prior {F(seconds.Prior, "0")} s, classifier {F(seconds.Classifier, "0")} s, " +
                     $"evaluation {F(seconds.Evaluation, "0")} s of which sampling {quality.Samples} images {F(seconds.Sampling, "0.0")} s); " +
                     $"estimated before the start: {F(schedule.EstimatedTotalSeconds / 60, "0.0")} min.").AppendLine();
        s.AppendLine("## Key numbers").AppendLine();
        s.AppendLine("| what | value |").AppendLine("|---|---|");
        s.AppendLine($"| VQ-VAE epochs / steps | {vq.EpochsCompleted} / {vq.Steps} |");
        s.AppendLine($"| VQ-VAE val reconstruction loss (MSE in [-1,1]) | {F(lastVq["val_recon_loss"])} |");
        s.AppendLine($"| codebook perplexity / codes used (of {plan.Preset.VqVae.NumCodes}) | {F(lastVq["perplexity"], "0.0")} / {lastVq["codes_used"]} |");
        s.AppendLine($"| test reconstructions: MSE / PSNR / SSIM | {F(recon.Mse, "0.00000")} / {F(recon.Psnr, "0.00")} dB / {F(recon.Ssim)} |");
        s.AppendLine($"| prior epochs / steps | {prior.EpochsCompleted} / {prior.Steps} |");
        s.AppendLine($"| prior val NLL (nats per code) / bits per dim | {F(lastPrior["val_nll"])} / {F(lastPrior["val_bits_per_dim"])} |");
        s.AppendLine($"| uniform prior NLL for comparison (ln K) | {F(Math.Log(plan.Preset.VqVae.NumCodes))} |").AppendLine();
        SampleQualitySummary.Append(s, classifier, quality);
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
