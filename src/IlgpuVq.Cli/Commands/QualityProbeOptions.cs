using System.CommandLine;
using System.Globalization;
using IlgpuVq.Data;
using IlgpuVq.Engine.Devices;
using IlgpuVq.Models.Classifier;
using IlgpuVq.Models.Evaluation;
using IlgpuVq.Models.Prior;
using IlgpuVq.Models.Training;
using IlgpuVq.Models.VqVae;

namespace IlgpuVq.Cli.Commands;

/// <summary><c>--classifier</c> and <c>--eval-every</c> of <c>train prior</c> and <c>sample</c>: quality readings by the evaluator classifier.</summary>
public sealed class QualityProbeOptions
{
    public Option<string?> Classifier { get; } = new("--classifier")
        { Description = "evaluator classifier run folder: measure frechet_distance and class_consistency of the samples" };
    public Option<int> EvalEvery { get; } = new("--eval-every")
        { Description = "with --classifier in train prior: measure a fixed batch of samples every N epochs (metrics.jsonl, loss plot)", DefaultValueFactory = _ => 1 };

    bool everyEpochs;

    public void AddTo(Command cmd, bool everyEpochs)
    {
        this.everyEpochs = everyEpochs;
        cmd.Options.Add(Classifier);
        if (everyEpochs) cmd.Options.Add(EvalEvery);
    }

    public QualityProbeSettings? Parse(ParseResult parse)
    {
        int every = everyEpochs ? parse.GetValue(EvalEvery) : 1;
        if (every < 1) throw new UserError($"--eval-every must be at least 1 (got {every})");
        return parse.GetValue(Classifier) is { } path ? new QualityProbeSettings(path, every) : null;
    }
}

/// <summary>Which classifier measures the samples, and how often during training.</summary>
public sealed record QualityProbeSettings(string ClassifierPath, int Every)
{
    /// <summary>Measures samples of <c>sample</c> against the test split of the VQ-VAE run they come from.</summary>
    public string Describe(ComputeDevice device, string vqvaePath, SampleSet samples, int imageSize)
    {
        var info = VqVaeRunInfo.Read(vqvaePath)
            ?? throw new UserError($"--classifier needs --vqvae to be a VQ-VAE run folder (its split.csv names the test images); '{vqvaePath}' is not one");
        var (dataset, split) = info.Open(null);
        using var _ = dataset;
        using var probe = Open(device, dataset, split);
        return probe.Describe(samples, imageSize) + $" against {split.Test.Length} test images";
    }

    /// <summary>Loads the classifier and extracts the test images' features once.</summary>
    public OpenQualityProbe Open(ComputeDevice device, ILesionDataset dataset, DataSplit split)
    {
        var classifier = ClassifierCheckpoint.Load(device, ClassifierPath);
        if (classifier.ImageSize != dataset.ImageSize)
        {
            classifier.Dispose();
            throw new UserError($"the classifier was trained on {classifier.ImageSize} px images but the VQ-VAE works on {dataset.ImageSize} px");
        }
        using var test = DatasetBatches.ForEvaluation(dataset, split.Test, 64);
        var probe = new QualityProbe(new ClassifierFeatures(classifier.Model, classifier.ImageSize), test);
        return new OpenQualityProbe(classifier, probe, Every);
    }
}

/// <summary>A loaded probe: wraps a prior's training task, or measures one batch of samples.</summary>
public sealed class OpenQualityProbe(LoadedClassifier classifier, QualityProbe probe, int every) : IDisposable
{
    public ITrainingTask<CodeBatch> Wrap(PriorTrainingTask task, VqVaeModel vqvae, IReadOnlyList<string> classNames) =>
        new QualityProbeTask<CodeBatch>(task, probe, every, () => new PixelCnnVqVae(vqvae, task.Prior, classNames, task.Height, task.Width, ownsModels: false));

    /// <summary>"frechet_distance X, class_consistency Y" of these samples.</summary>
    public string Describe(SampleSet samples, int imageSize) =>
        string.Join(", ", probe.Measure(samples, imageSize).Select(kv => $"{kv.Key} {kv.Value.ToString("0.000", CultureInfo.InvariantCulture)}"));

    public void Dispose() => classifier.Dispose();
}
