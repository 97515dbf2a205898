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
        var run = new RunFolder(o.Training.OutDir);
        run.Create();
        var split = RunSplit.LoadOrCreate(run, dataset, o.TestSize, o.DataSeed, o.Training.Resume);
        var settings = o.Settings with
        {
            Data = new Dictionary<string, object?>
            {
                ["spec"] = o.DataSpec, ["source"] = dataset.Report.Source, ["layout"] = dataset.Report.Layout.ToString(), ["image_size"] = dataset.ImageSize,
                ["images"] = dataset.Count, ["train"] = split.Train.Length, ["test"] = split.Test.Length, ["seed"] = o.DataSeed,
                ["split_source"] = split.Source, ["split_seed"] = split.IsGiven ? null : o.DataSeed, ["split_csv"] = run.Split,
                ["labels"] = Labels(dataset.Report.Labels), ["max_pixels"] = o.MaxPixels, ["augment"] = o.Augment, ["balance"] = o.Balance, ["classes"] = dataset.ClassNames,
            },
        };
        using var train = DatasetBatches.ForTraining(dataset, split.Train, settings.BatchSize, o.DataSeed, o.Augment ? AugmentOptions.Default : null, o.Balance);
        using var test = DatasetBatches.ForEvaluation(dataset, split.Test, settings.BatchSize);
        using var task = new VqVaeTrainingTask(device, settings, train, test, test.First(8));
        var result = TrainingConsole.Run(reporter => new TrainingLoop<Batch>(device, task, o.Training, reporter).Run(cancel));
        if (result.Interrupted) return (result, null);
        var metrics = ReconstructionReport.Evaluate(task.VqVae, test, Path.Combine(run.Root, "test_reconstructions.png"));
        metrics.Save(run.TestMetrics);
        Console.WriteLine($"test reconstructions: {metrics}");
        return (result, metrics);
    }

    /// <summary>The label options the data was read with (config.json's <c>data.labels</c>, null without <c>--labels</c>).</summary>
    static Dictionary<string, object?>? Labels(LabelsSpec? labels) => labels is null ? null
        : new() { ["csv"] = labels.Csv, ["columns"] = labels.Columns, ["id_column"] = labels.IdColumn };

    /// <summary>Ctrl+C requests a clean stop: the loop saves a checkpoint and returns.</summary>
    public static CancellationTokenSource CancelOnCtrlC()
    {
        var cts = new CancellationTokenSource();
        Console.CancelKeyPress += (_, e) =>
        {
            if (cts.IsCancellationRequested) return; // a second Ctrl+C kills the process
            e.Cancel = true;
            Console.Error.WriteLine("stopping after this batch: saving a checkpoint…");
            cts.Cancel();
        };
        return cts;
    }
}
