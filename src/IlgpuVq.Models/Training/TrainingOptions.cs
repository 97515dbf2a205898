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
    /// <summary>How the learning rate moves over the run's steps (see <see cref="LearningRateSchedule"/>).</summary>
    public LearningRateSchedule LrSchedule { get; init; } = LearningRateSchedule.Constant;
    /// <summary>The command line's options by name (config.json's <c>options</c>), from which <c>--resume</c> rebuilds the run.</summary>
    public IReadOnlyDictionary<string, string>? Arguments { get; init; }
    /// <summary>Stop (saving a checkpoint, as on Ctrl+C) once this many steps have run in total; for tests.</summary>
    public long? StopAtStep { get; init; }
}

/// <summary>The learning rate of step t of T (= epochs × batches per epoch) as a share of the settings' rate: <c>Constant</c> keeps it,
/// <c>Cosine</c> decays it as ½(1 + cos(π t / T)) (Loshchilov and Hutter 2017, without restarts), so a short run ends at a small step
/// size instead of wherever the loss was bouncing. A pure function of the step, so <c>--resume</c> continues it exactly (as long as
/// --epochs is unchanged: a larger --epochs stretches the rest of the decay).</summary>
public enum LearningRateSchedule
{
    Constant,
    Cosine,
}

public static class LearningRateSchedules
{
    public static readonly string[] Names = [.. Enum.GetValues<LearningRateSchedule>().Select(Name)];

    /// <summary>The schedule named <paramref name="name"/> (any case); an unknown name is an error listing the valid ones.</summary>
    public static LearningRateSchedule Parse(string name)
    {
        foreach (var schedule in Enum.GetValues<LearningRateSchedule>())
            if (string.Equals(schedule.Name(), name, StringComparison.OrdinalIgnoreCase)) return schedule;
        throw new ArgumentException($"unknown learning-rate schedule '{name}'; schedules: {string.Join(", ", Names)}");
    }

    /// <summary>The schedule's name on the command line and in config.json.</summary>
    public static string Name(this LearningRateSchedule schedule) => schedule.ToString().ToLowerInvariant();

    /// <summary>The factor of step <paramref name="step"/> (0-based) of <paramref name="totalSteps"/>.</summary>
    public static double Factor(this LearningRateSchedule schedule, long step, long totalSteps) => schedule switch
    {
        LearningRateSchedule.Constant => 1,
        LearningRateSchedule.Cosine => 0.5 * (1 + Math.Cos(Math.PI * Math.Min(step, totalSteps) / Math.Max(1, totalSteps))),
        _ => throw new ArgumentOutOfRangeException(nameof(schedule)),
    };
}
