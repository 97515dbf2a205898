using IlgpuVq.Models.VqVae;

namespace IlgpuVq.Models.Training;

/// <summary>Every setting of a VQ-VAE training run (all of it goes to config.json).</summary>
public sealed record VqVaeTrainOptions
{
    public required string OutDir { get; init; }
    public string Preset { get; init; } = "demo";
    public VqVaeConfig Model { get; init; } = VqVaeConfig.Preset("demo");
    public int Epochs { get; init; } = 300;
    public int BatchSize { get; init; } = 32;
    public float LearningRate { get; init; } = 2e-4f;
    public float WeightDecay { get; init; } = 1e-4f;
    public ulong Seed { get; init; } = 1;
    /// <summary>Write a reconstruction grid every this many epochs (and at the last epoch).</summary>
    public int GridEvery { get; init; } = 1;
    public int GridImages { get; init; } = 8;
    public int KeepLast { get; init; } = 3;
    /// <summary>Read the loss back for the progress display every this many steps.</summary>
    public int LogEvery { get; init; } = 10;
    public bool Resume { get; init; }
    /// <summary>Stop (saving a checkpoint, as on Ctrl+C) once this many steps have run in total; for tests.</summary>
    public long? StopAtStep { get; init; }
    /// <summary>Data settings (spec, image size, split, augmentation) recorded in config.json.</summary>
    public IReadOnlyDictionary<string, object?> DataSettings { get; init; } = new Dictionary<string, object?>();
}
