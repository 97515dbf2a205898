using IlgpuVq.Engine.NN;
using IlgpuVq.Engine.Optim;

namespace IlgpuVq.Models.Training;

/// <summary>What the settings of every model's run share (<see cref="VqVae.VqVaeSettings"/>, <see cref="Prior.PriorSettings"/>,
/// <see cref="Classifier.ClassifierSettings"/>): batch size, AdamW learning rate and weight decay, and the seed of the weights
/// and of the batch order.</summary>
public abstract record TrainingSettings
{
    public int BatchSize { get; init; } = 32;
    public float LearningRate { get; init; } = 2e-4f;
    public float WeightDecay { get; init; } = 1e-4f;
    public ulong Seed { get; init; } = 1;

    /// <summary>AdamW over <paramref name="model"/>'s parameters at these settings' learning rate and weight decay.</summary>
    public AdamW Optimizer(Module model) => new(model.Parameters(), LearningRate, weightDecay: WeightDecay);

    /// <summary>config.json's entries for these settings and the model's <paramref name="architecture"/>.</summary>
    public Dictionary<string, object?> ConfigEntries(object architecture) => new()
    {
        ["architecture"] = architecture, ["batch_size"] = BatchSize, ["learning_rate"] = LearningRate, ["weight_decay"] = WeightDecay, ["seed"] = Seed,
    };
}
