namespace IlgpuVq.Data;

/// <summary>Tuning of a <see cref="BatchLoader"/>.</summary>
public sealed record BatchLoaderOptions
{
    /// <summary>Batches prepared ahead of the consumer (the bounded queue's capacity).</summary>
    public int Prefetch { get; init; } = 3;

    /// <summary>Threads that prepare the images of one batch; 0 means all cores but one (at least 1).</summary>
    public int Threads { get; init; }

    /// <summary>Shuffle the images of each epoch (training); false keeps the given order (evaluation).</summary>
    public bool Shuffle { get; init; } = true;

    /// <summary>Drop the last incomplete batch of each epoch (training) or keep it (evaluation).</summary>
    public bool DropLast { get; init; } = true;

    /// <summary>Stop after this epoch (exclusive); null means an endless stream of epochs.</summary>
    public int? EndEpoch { get; init; }
}
