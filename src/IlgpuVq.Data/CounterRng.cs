namespace IlgpuVq.Data;

/// <summary>
/// A small counter-based random number generator: the stream is a pure function of the key it was
/// created from (for example seed, epoch, image index), so results do not depend on thread timing or on
/// how many numbers other images drew. Keys are mixed with SplitMix64; numbers are SplitMix64 of a counter.
/// </summary>
public struct CounterRng
{
    ulong _state;

    /// <summary>A generator keyed by a stream name, a seed and up to three integers (e.g. epoch, image index).</summary>
    public CounterRng(ulong stream, long seed, long a = 0, long b = 0, long c = 0) => _state = Key(stream, seed, a, b, c);

    /// <summary>A 64-bit hash of a stream name, a seed and three integers.</summary>
    public static ulong Key(ulong stream, long seed, long a = 0, long b = 0, long c = 0) =>
        SplitMix64.Mix(SplitMix64.Mix(SplitMix64.Mix(SplitMix64.Mix(SplitMix64.Mix(stream) ^ (ulong)seed) ^ (ulong)a) ^ (ulong)b) ^ (ulong)c);

    /// <summary>Next 64 random bits.</summary>
    public ulong NextULong() => SplitMix64.Next(ref _state);

    /// <summary>Uniform in [0, 1).</summary>
    public double NextDouble() => (NextULong() >> 11) * (1.0 / (1UL << 53));

    /// <summary>Uniform in [lo, hi).</summary>
    public float Uniform(double lo, double hi) => (float)(lo + (hi - lo) * NextDouble());

    /// <summary>Uniform integer in [0, n).</summary>
    public int NextInt(int n)
    {
        if (n <= 0) throw new ArgumentOutOfRangeException(nameof(n));
        return (int)((ulong)n * (NextULong() >> 32) >> 32);
    }

    /// <summary>True with probability p.</summary>
    public bool Chance(double p) => NextDouble() < p;

    /// <summary>A standard normal number (Box–Muller).</summary>
    public double NextNormal()
    {
        var u = 1.0 - NextDouble();
        return Math.Sqrt(-2 * Math.Log(u)) * Math.Cos(2 * Math.PI * NextDouble());
    }

    /// <summary>Shuffles a span in place (Fisher–Yates).</summary>
    public void Shuffle<T>(Span<T> items)
    {
        for (var i = items.Length - 1; i > 0; i--)
        {
            var j = NextInt(i + 1);
            (items[i], items[j]) = (items[j], items[i]);
        }
    }
}

/// <summary>Stream names that keep the random numbers of different purposes independent.</summary>
public static class RngStreams
{
    public const ulong Augment = 0xA0C0_0001;
    public const ulong Shuffle = 0xA0C0_0002;
    public const ulong Balance = 0xA0C0_0003;
    public const ulong Split = 0xA0C0_0004;
    public const ulong SynthLesion = 0xA0C0_0005;
    public const ulong SynthView = 0xA0C0_0006;
    public const ulong SynthCatalog = 0xA0C0_0007;
    public const ulong SynthMetadata = 0xA0C0_0008;
    public const ulong LabelDropout = 0xA0C0_0009;
    public const ulong CodeVariant = 0xA0C0_000A;
}
