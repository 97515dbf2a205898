namespace IlgpuVq.Models.Prior;

/// <summary>
/// How a prior samples code maps (both draw the same codes for the same seed): <see cref="Naive"/> runs a full prior forward
/// over the whole map for every position (the reference), <see cref="Cached"/> keeps per-layer caches and computes only what
/// each new position changes (<see cref="CachedSampler"/>).
/// </summary>
public enum PriorSampler
{
    Cached,
    Naive,
}

/// <summary>Parsing of <c>--sampler</c>.</summary>
public static class PriorSamplers
{
    public static readonly string[] Names = ["cached", "naive"];

    /// <summary>The sampler named <paramref name="name"/>; an unknown name is an error listing the valid ones.</summary>
    public static PriorSampler Parse(string name) => name.ToLowerInvariant() switch
    {
        "cached" => PriorSampler.Cached,
        "naive" => PriorSampler.Naive,
        _ => throw new ArgumentException($"unknown sampler '{name}'; samplers: {string.Join(", ", Names)}"),
    };

    public static string Name(this PriorSampler sampler) => sampler == PriorSampler.Cached ? "cached" : "naive";
}
