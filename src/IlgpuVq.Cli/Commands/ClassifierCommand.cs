using System.CommandLine;
using IlgpuVq.Data;
using IlgpuVq.Engine.Devices;
using IlgpuVq.Models.Classifier;
using IlgpuVq.Models.Training;

namespace IlgpuVq.Cli.Commands;

/// <summary>What a classifier run needs beyond the model settings.</summary>
public sealed record ClassifierJobOptions(TrainingOptions Training, ClassifierSettings Settings, string DataSpec, TestSize TestSize, int DataSeed, bool Balance);

/// <summary>
/// <c>ilgpuvq train classifier</c>: the evaluator network of <c>evaluate</c>. A run is the split (split.csv, reused on
/// resume), training (class-balanced sampling by default, flips as augmentation) with the usual run folder, then the test
/// report: test_metrics.json (accuracy, balanced accuracy, recall per class, confusion matrix) and confusion_matrix.png.
/// </summary>
public static class ClassifierCommand
{
    /// <summary>Flips only: colour jitter would teach the evaluator to ignore the colour errors of samples it has to measure.</summary>
    public static AugmentOptions Augment { get; } = AugmentOptions.None with { HorizontalFlip = true, VerticalFlip = true };

    public static Command Create()
    {
        var data = new DataCliOptions();
        var run = new TrainCommand.RunOptions();
        var preset = ModelPreset.Default; // the defaults of the sizes and of the schedule
        var width = new Option<int>("--width") { Description = "channels of the first stage (stages: W, 2W, 4W; 4W features)", DefaultValueFactory = _ => preset.Classifier.Width };
        var blocks = new Option<int>("--blocks") { Description = "residual blocks per stage", DefaultValueFactory = _ => preset.Classifier.BlocksPerStage };
        var stem = new Option<int?>("--stem-stride") { Description = "stride of the stem convolution (default: image size / 16, 1 to 8)" };
        var noBalance = new Option<bool>("--no-balance") { Description = "sample training images as they come instead of classes uniformly" };
        var cmd = new Command("classifier", "Train the evaluator classifier (residual CNN) whose features and predictions `evaluate` uses") { width, blocks, stem, noBalance };
        data.AddTo(cmd);
        run.AddTo(cmd);
        cmd.SetAction(parse =>
        {
            parse = run.Resolve(parse);
            var training = run.Training(parse, defaultEpochs: preset.ClassifierSchedule.Epochs);
            var device = DeviceOption.Open(parse.GetValue(run.Device)!);
            using var dataset = data.Open(parse);
            DatasetRequirements.RequireLabels(dataset, "train classifier");
            var config = preset.ClassifierFor(dataset.ClassNames.Count, dataset.ImageSize, parse.GetValue(stem)) with
            {
                Width = parse.GetValue(width), BlocksPerStage = parse.GetValue(blocks),
            };
            UserError.Check(() => config.Validate(dataset.ImageSize));
            var settings = new ClassifierSettings
            {
                Model = config, BatchSize = parse.GetValue(run.BatchSize) ?? preset.ClassifierSchedule.BatchSize, LearningRate = parse.GetValue(run.Lr) ?? preset.ClassifierSchedule.LearningRate,
                WeightDecay = parse.GetValue(run.WeightDecay), Seed = (ulong)parse.GetValue(data.Seed), ClassNames = dataset.ClassNames,
            };
            if (settings.BatchSize < 1 || !(settings.LearningRate > 0)) throw new UserError("--batch-size must be ≥ 1 and --lr > 0");
            return CtrlCStop.Train("train classifier", training.OutDir, cancel => Run(device, dataset, new ClassifierJobOptions(training, settings, parse.GetValue(data.Data)!,
                data.TestSize(parse), parse.GetValue(data.Seed), !parse.GetValue(noBalance)), cancel).Result);
        });
        return cmd;
    }

    public static (TrainResult Result, ClassificationReport? Test) Run(ComputeDevice device, ILesionDataset dataset, ClassifierJobOptions o, CancellationToken cancel)
    {
        using var run = ImageRun.Open(dataset, o.Training, o.TestSize, o.DataSeed, o.Settings.BatchSize, 64, Augment, o.Balance);
        var data = new Dictionary<string, object?>(run.Data(dataset, o.DataSpec, "flips", o.Balance)) { ["split_seed"] = o.DataSeed };
        using var task = new ClassifierTrainingTask(device, o.Settings with { Data = data }, run.TrainImages, run.TestImages);
        var result = ImageRun.Train(device, task, o.Training, cancel);
        if (result.Interrupted) return (result, null);
        using var best = ClassifierCheckpoint.Load(device, run.Folder.Root);
        var p = ClassifierPredictions.Run(best.Model, run.TestImages);
        var report = ClassificationReport.From(dataset.ClassNames, p.Labels, p.Predicted);
        report.Save(run.Folder.TestMetrics);
        report.SaveFigure(Path.Combine(run.Folder.Root, "confusion_matrix.png"), "Classifier on the test split (best checkpoint)");
        Console.WriteLine($"test split (best checkpoint): {report}");
        return (result, report);
    }
}
