namespace IlgpuVq.Models.Training;

/// <summary>The settings of a run that do not depend on the model.</summary>
public sealed record TrainingOptions
{
    public required string OutDir { get; init; }
    public int Epochs { get; init; } = 300;
    /// <summary>Write figures every this many epochs (and at the last epoch).</summary>
    public int GridEvery { get; init; } = 1;
    public int KeepLast { get; init; } = 3;
    /// <summary>Read the loss back for the progress display (and the NaN guard) every this many steps.</summary>
    public int LogEvery { get; init; } = 10;
    public bool Resume { get; init; }
    /// <summary>The command line's options by name (config.json's <c>options</c>), from which <c>--resume</c> rebuilds the run.</summary>
    public IReadOnlyDictionary<string, string>? Arguments { get; init; }
    /// <summary>Stop (saving a checkpoint, as on Ctrl+C) once this many steps have run in total; for tests.</summary>
    public long? StopAtStep { get; init; }
}
