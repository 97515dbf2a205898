using IlgpuVq.Data;
using System.Globalization;
using System.Text.Json;
using IlgpuVq.Engine.Devices;
using IlgpuVq.Engine.NN;
using IlgpuVq.Engine.Ops;
using IlgpuVq.Engine.Optim;
using IlgpuVq.Engine.Tensors;
using IlgpuVq.Models.Training;

namespace IlgpuVq.Models.Classifier;

/// <summary>Model and optimizer settings of a classifier run.</summary>
public sealed record ClassifierSettings : TrainingSettings
{
    public ClassifierSettings() => LearningRate = 2e-3f;

    public ClassifierConfig Model { get; init; } = new();
    public IReadOnlyList<string> ClassNames { get; init; } = [];
    /// <summary>Data settings (spec, image size, split, augmentation, balance) recorded in config.json.</summary>
    public IReadOnlyDictionary<string, object?> Data { get; init; } = new Dictionary<string, object?>();
}

/// <summary>
/// Training a <see cref="ResidualClassifier"/>: loss term <c>ce_loss</c> (softmax cross-entropy); validation on the
/// test split adds val_ce_loss, val_accuracy and val_balanced_accuracy, and the best checkpoint is the one with the
/// highest balanced accuracy (so a classifier that only learns the majority class never wins).
/// </summary>
public sealed class ClassifierTrainingTask : ITrainingTask<Batch>, IDisposable
{
    public const string Format = "classifier";
    readonly ComputeDevice device;
    readonly ClassifierSettings settings;
    readonly IImageBatchSource train, validation;

    public ClassifierTrainingTask(ComputeDevice device, ClassifierSettings settings, IImageBatchSource train, IImageBatchSource validation)
    {
        settings.Model.Validate(train.ImageSize);
        if (settings.ClassNames.Count != settings.Model.NumClasses)
            throw new ArgumentException($"{settings.ClassNames.Count} class names for {settings.Model.NumClasses} classes");
        this.device = device;
        this.settings = settings;
        this.train = train;
        this.validation = validation;
        Classifier = new ResidualClassifier(device, settings.Model, settings.Seed);
        Optimizer = settings.Optimizer(Classifier);
    }

    public ResidualClassifier Classifier { get; }
    public string Kind => Format;
    public Module Model => Classifier;
    public AdamW Optimizer { get; }
    public IReadOnlyList<string> LossNames { get; } = ["ce_loss"];
    public int BatchesPerEpoch => train.BatchesPerEpoch;
    public IEnumerable<Batch> Batches(int epoch, int startBatch) => train.Epoch(epoch, startBatch);
    public int Count(Batch batch) => batch.Count;

    public (Tensor[] Terms, Tensor Total) Forward(Batch batch)
    {
        var x = Tensor.FromArray(device, batch.Images, batch.Count, 3, batch.ImageSize, batch.ImageSize);
        var loss = CrossEntropy.Mean(Classifier.Forward(x).Logits, Tensor.FromIntArray(device, batch.Labels, batch.Count));
        return ([loss], loss);
    }

    public void AfterStep(long step) { }

    public (Dictionary<string, double> Metrics, double SelectionLoss) Validate()
    {
        var p = ClassifierPredictions.Run(Classifier, validation);
        var report = ClassificationReport.From(settings.ClassNames, p.Labels, p.Predicted);
        return (new Dictionary<string, double>
        {
            ["val_ce_loss"] = p.MeanLoss, ["val_accuracy"] = report.Accuracy, ["val_balanced_accuracy"] = report.BalancedAccuracy,
        }, 1 - report.BalancedAccuracy);
    }

    public void Figures(string runFolder, int epoch) { }

    public IReadOnlyDictionary<string, object?> Config => new Dictionary<string, object?>(settings.ConfigEntries(settings.Model))
    {
        ["classes"] = settings.ClassNames,
        ["train_images"] = train.Count, ["validation_images"] = validation.Count, ["image_size"] = train.ImageSize, ["data"] = settings.Data,
    };

    public IReadOnlyDictionary<string, string> CheckpointInfo => new Dictionary<string, string>
    {
        ["config"] = JsonSerializer.Serialize(settings.Model),
        ["image_size"] = train.ImageSize.ToString(CultureInfo.InvariantCulture),
        ["class_names"] = string.Join(",", settings.ClassNames),
        ["seed"] = settings.Seed.ToString(CultureInfo.InvariantCulture),
    };

    public void Dispose()
    {
        Optimizer.Dispose();
        Classifier.Dispose();
    }
}
