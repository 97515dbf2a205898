namespace IlgpuVq.Engine.NN;

/// <summary>
/// Hands out a distinct, reproducible seed to each parameter of a model in construction order, from one
/// model seed (SplitMix64 of seed and counter). The same model seed always gives the same initial weights.
/// </summary>
public sealed class SeedSequence(ulong seed)
{
    ulong counter;

    public ulong Next() => Mix(seed, counter++);

    /// <summary>SplitMix64 of (seed, index): a well-mixed 64-bit value.</summary>
    public static ulong Mix(ulong seed, ulong index) => SplitMix64.Mix(unchecked(seed + SplitMix64.Golden * index));
}
