namespace IlgpuVq;

/// <summary>
/// SplitMix64 (Steele, Lea and Flood 2014), the one host copy: the data pipeline's <c>CounterRng</c>, the engine's
/// <c>SeedSequence</c> and the checks' codebook-maintenance reference all use it (this file is compiled into those three
/// assemblies, which share no reference). The codebook-maintenance kernel keeps its own copy, since kernels cannot call host code.
/// </summary>
internal static class SplitMix64
{
    /// <summary>The golden-ratio increment 2⁶⁴/φ.</summary>
    public const ulong Golden = 0x9E3779B97F4A7C15UL;

    /// <summary>One SplitMix64 output for state <paramref name="x"/>: the finaliser of x + <see cref="Golden"/>.</summary>
    public static ulong Mix(ulong x)
    {
        unchecked
        {
            x += Golden;
            x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9UL;
            x = (x ^ (x >> 27)) * 0x94D049BB133111EBUL;
            return x ^ (x >> 31);
        }
    }

    /// <summary>The next output of the generator whose state is <paramref name="state"/>, advancing it.</summary>
    public static ulong Next(ref ulong state)
    {
        ulong output = Mix(state);
        unchecked { state += Golden; }
        return output;
    }
}
