namespace IlgpuVq.Tests;

/// <summary>Seeded test inputs shared by the op tests.</summary>
static class SeededValues
{
    /// <summary><paramref name="n"/> floats uniform in [-1, 1) from <c>new Random(seed)</c>.</summary>
    public static float[] Uniform(int seed, int n)
    {
        var rng = new Random(seed);
        return Enumerable.Range(0, n).Select(_ => (float)(rng.NextDouble() * 2 - 1)).ToArray();
    }
}
