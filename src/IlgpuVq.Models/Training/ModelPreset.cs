using IlgpuVq.Models.Classifier;
using IlgpuVq.Models.Prior;
using IlgpuVq.Models.VqVae;

namespace IlgpuVq.Models.Training;

/// <summary>How one model is trained by default: epochs, batch size, AdamW learning rate, weight decay and how the rate moves.</summary>
public sealed record TrainingSchedule(int Epochs, int BatchSize, float LearningRate, float WeightDecay = 1e-4f,
    LearningRateSchedule LrSchedule = LearningRateSchedule.Constant)
{
    /// <summary><paramref name="settings"/> with this schedule's batch size, learning rate and weight decay.</summary>
    public T Apply<T>(T settings) where T : TrainingSettings =>
        (T)((TrainingSettings)settings with { BatchSize = BatchSize, LearningRate = LearningRate, WeightDecay = WeightDecay });
}

/// <summary>
/// A named preset, the one place that says what a preset is: the architecture and training schedule of the VQ-VAE, of the
/// PixelCNN prior on its codes, and of the evaluator classifier. <c>train vqvae --preset</c>, <c>bench step</c>,
/// <c>profile</c>, <c>bench sample</c> and <c>demo</c> all read it, so <c>--preset demo</c> is the model the demo trains.
/// The prior's <see cref="PixelCnnConfig.NumCodes"/> is the VQ-VAE's; its classes and the classifier's come from the data.
/// </summary>
public sealed record ModelPreset
{
    public required string Name { get; init; }
    public required VqVaeConfig VqVae { get; init; }
    public required TrainingSchedule VqVaeSchedule { get; init; }
    public required PixelCnnConfig Prior { get; init; }
    public required TrainingSchedule PriorSchedule { get; init; }
    /// <summary>The evaluator classifier; its stem stride is chosen per image size (<see cref="ClassifierConfig.DefaultStemStride"/>) unless given.</summary>
    public ClassifierConfig Classifier { get; init; } = new();
    public TrainingSchedule ClassifierSchedule { get; init; } = new(10, 32, 2e-3f);

    /// <summary>The default prior (64 channels, 15 gated layers, head 256) and its schedule, shared by <c>isic</c> and <c>ref</c>.</summary>
    static readonly PixelCnnConfig DefaultPrior = new();
    static readonly TrainingSchedule DefaultPriorSchedule = new(500, 32, 2e-4f);

    /// <summary><c>isic</c>: the source report's VQ-VAE (K=128, D=512, /8; 300 epochs of batch 32 at AdamW 2e-4).</summary>
    public static ModelPreset Isic { get; } = new()
    {
        Name = "isic",
        VqVae = new VqVaeConfig { Hidden = 128, ResidualHidden = 32, ResidualBlocks = 2, EmbeddingDim = 512, NumCodes = 128, Downsample = 8 },
        VqVaeSchedule = new(300, 32, 2e-4f),
        Prior = DefaultPrior with { NumCodes = 128 }, PriorSchedule = DefaultPriorSchedule,
    };

    /// <summary><c>ref</c>: the speed reference VQ-VAE (3→64→128 encoder, 2 residual blocks of 32, D=64, K=512, /4).</summary>
    public static ModelPreset Ref { get; } = new()
    {
        Name = "ref",
        VqVae = new VqVaeConfig { Hidden = 128, ResidualHidden = 32, ResidualBlocks = 2, EmbeddingDim = 64, NumCodes = 512, Downsample = 4 },
        VqVaeSchedule = new(100, 32, 2e-4f),
        Prior = DefaultPrior with { NumCodes = 512 }, PriorSchedule = DefaultPriorSchedule,
    };

    /// <summary><c>demo</c>: the models and schedule of <c>ilgpuvq demo</c>, chosen to finish inside 5 minutes on a 2-core CPU
    /// at 32 px (an 8×8 code grid): a VQ-VAE of 64 channels, 2 residual blocks of 32, D=32, K=128 for 14 epochs (of 16,
    /// the best checkpoint by validation loss was epoch 14 and the last two only bounced above it, so 14 give the same model); a prior of
    /// 64 channels, 6 gated layers, head 128 for 7 epochs at a cosine-decayed rate, trained with label dropout for classifier-free
    /// guidance (the demo samples at <c>DemoPlan.Guidance</c>) on flip-augmented, class-balanced code maps. Measured on the demo's
    /// models (README): 10 layers for 5 constant-rate epochs reached val NLL 2.61 unaugmented (rising after epoch 5: it overfit the
    /// 3600 maps) and 2.76 balanced and augmented; 6 layers run 1.5× faster per epoch and reach 2.70 in 7 cosine epochs (2.69 in 8), with class
    /// consistency 0.90 instead of 0.73 at the demo's guidance. The classifier for 8 epochs; AdamW 2e-3 for all three.</summary>
    public static ModelPreset Demo { get; } = new()
    {
        Name = "demo",
        VqVae = new VqVaeConfig { Hidden = 64, ResidualHidden = 32, ResidualBlocks = 2, EmbeddingDim = 32, NumCodes = 128, Downsample = 4 },
        VqVaeSchedule = new(14, 32, 2e-3f),
        Prior = new PixelCnnConfig { Channels = 64, Layers = 6, HeadChannels = 128, NumCodes = 128, LabelDropout = 0.2 },
        PriorSchedule = new(7, 32, 2e-3f, LrSchedule: LearningRateSchedule.Cosine),
        ClassifierSchedule = new(8, 32, 2e-3f),
    };

    public static IReadOnlyList<ModelPreset> All { get; } = [Isic, Ref, Demo];
    /// <summary>The preset of <c>train vqvae</c> without <c>--preset</c>, and the defaults of <c>train prior</c> and <c>train classifier</c>.</summary>
    public static ModelPreset Default => Isic;
    /// <summary>The preset that <c>bench step</c>, <c>bench sample</c> and <c>profile</c> measure without <c>--preset</c>: the speed reference.</summary>
    public static ModelPreset Benchmark => Ref;
    public static readonly string[] Names = [.. All.Select(p => p.Name)];

    /// <summary>The preset called <paramref name="name"/> (any case); an <see cref="ArgumentException"/> naming the presets otherwise.</summary>
    public static ModelPreset Named(string name) =>
        All.FirstOrDefault(p => string.Equals(p.Name, name, StringComparison.OrdinalIgnoreCase))
        ?? throw new ArgumentException($"unknown preset '{name}'; presets: {string.Join(", ", Names)}");

    /// <summary>The classifier of this preset for <paramref name="classes"/> classes of <paramref name="imageSize"/> px images.</summary>
    public ClassifierConfig ClassifierFor(int classes, int imageSize, int? stemStride = null) =>
        Classifier with { NumClasses = classes, StemStride = stemStride ?? ClassifierConfig.DefaultStemStride(imageSize) };
}
