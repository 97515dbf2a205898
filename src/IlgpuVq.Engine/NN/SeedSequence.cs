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
    public static ulong Mix(ulong seed, ulong index)
    {
        ulong z = seed + 0x9E3779B97F4A7C15UL * (index + 1);
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }
}
