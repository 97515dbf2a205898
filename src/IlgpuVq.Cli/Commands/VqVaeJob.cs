using IlgpuVq.Data;
using IlgpuVq.Engine.Devices;
using IlgpuVq.Models.Evaluation;
using IlgpuVq.Models.Training;
using IlgpuVq.Models.VqVae;

namespace IlgpuVq.Cli.Commands;

/// <summary>What a VQ-VAE run needs beyond the model settings (<paramref name="MaxPixels"/>: the pixel limit the data was read with).</summary>
public sealed record VqVaeJobOptions(TrainingOptions Training, VqVaeSettings Settings, string DataSpec, TestSize TestSize, int DataSeed, bool Augment, bool Balance,
    long MaxPixels = DataOptions.DefaultMaxPixels);

/// <summary>
/// A whole VQ-VAE run on a dataset: split (written to split.csv, reused on resume), training with
/// progress, then test reconstructions with MSE/PSNR/SSIM saved to test_metrics.json.
/// Shared by <c>train vqvae</c> and <c>demo</c>.
/// </summary>
public static class VqVaeJob
{
    public static (TrainResult Result, ReconstructionMetrics? Test) Run(ComputeDevice device, ILesionDataset dataset, VqVaeJobOptions o, CancellationToken cancel)
    {
        using var run = ImageRun.Open(dataset, o.Training, o.TestSize, o.DataSeed, o.Settings.BatchSize, o.Settings.BatchSize, o.Augment ? AugmentOptions.Default : null, o.Balance);
        var data = new Dictionary<string, object?>(run.Data(dataset, o.DataSpec, o.Augment, o.Balance))
        {
            ["layout"] = dataset.Report.Layout.ToString(), ["seed"] = o.DataSeed, ["split_source"] = run.Split.Source,
            ["split_seed"] = run.Split.IsGiven ? null : o.DataSeed, ["labels"] = Labels(dataset.Report.Labels), ["max_pixels"] = o.MaxPixels,
        };
        using var task = new VqVaeTrainingTask(device, o.Settings with { Data = data }, run.TrainImages, run.TestImages, run.TestImages.First(8));
        var result = ImageRun.Train(device, task, o.Training, cancel);
        if (result.Interrupted) return (result, null);
        var metrics = ReconstructionReport.Evaluate(task.VqVae, run.TestImages, Path.Combine(run.Folder.Root, "test_reconstructions.png"));
        metrics.Save(run.Folder.TestMetrics);
        Console.WriteLine($"test reconstructions: {metrics}");
        return (result, metrics);
    }

    /// <summary>The label options the data was read with (config.json's <c>data.labels</c>, null without <c>--labels</c>).</summary>
    static Dictionary<string, object?>? Labels(LabelsSpec? labels) => labels is null ? null
        : new() { ["csv"] = labels.Csv, ["columns"] = labels.Columns, ["id_column"] = labels.IdColumn };
}
