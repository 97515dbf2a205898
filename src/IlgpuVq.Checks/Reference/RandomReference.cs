namespace IlgpuVq.Checks.Reference;

/// <summary>
/// Host specification of the device random numbers (engine: <c>IlgpuVq.Engine.Ops.Rng</c>): Philox4x32-10 in plain
/// uint arithmetic, and the same maps from words to uniform and normal values.
/// </summary>
public static class RandomReference
{
    /// <summary>Philox4x32-10 of a 4-word counter under a 2-word key (Random123's philox4x32 with 10 rounds).</summary>
    public static uint[] Philox4x32(uint[] counter, uint[] key)
    {
        uint c0 = counter[0], c1 = counter[1], c2 = counter[2], c3 = counter[3];
        uint k0 = key[0], k1 = key[1];
        for (int round = 0; round < 10; round++)
        {
            if (round > 0) { k0 += 0x9E3779B9u; k1 += 0xBB67AE85u; }
            ulong p0 = 0xD2511F53ul * c0, p1 = 0xCD9E8D57ul * c2;
            uint n0 = (uint)(p1 >> 32) ^ c1 ^ k0;
            uint n1 = (uint)p1;
            uint n2 = (uint)(p0 >> 32) ^ c3 ^ k1;
            uint n3 = (uint)p0;
            (c0, c1, c2, c3) = (n0, n1, n2, n3);
        }
        return [c0, c1, c2, c3];
    }

    /// <summary>The block of element <paramref name="index"/> of a draw with (seed, offset).</summary>
    public static uint[] Block(ulong seed, ulong offset, long index)
    {
        ulong c = offset + (ulong)index;
        return Philox4x32([(uint)c, (uint)(c >> 32), 0, 0], [(uint)seed, (uint)(seed >> 32)]);
    }

    public static uint[] UniformBits(ulong seed, ulong offset, int n)
    {
        var y = new uint[n];
        for (int i = 0; i < n; i++) y[i] = Block(seed, offset, i)[0];
        return y;
    }

    public static double[] Uniform(ulong seed, ulong offset, int n, double lo, double hi)
    {
        var y = new double[n];
        for (int i = 0; i < n; i++) y[i] = lo + (hi - lo) * ((Block(seed, offset, i)[0] >> 8) / 16777216.0);
        return y;
    }

    public static double[] Normal(ulong seed, ulong offset, int n, double mean, double std)
    {
        var y = new double[n];
        for (int i = 0; i < n; i++)
        {
            var r = Block(seed, offset, i);
            double u1 = ((r[0] >> 8) + 1) / 16777216.0, u2 = (r[1] >> 8) / 16777216.0;
            y[i] = mean + std * Math.Sqrt(-2 * Math.Log(u1)) * Math.Cos(2 * Math.PI * u2);
        }
        return y;
    }

    /// <summary>softmax(logits / temperature), the distribution <c>SampleCategorical</c> draws from.</summary>
    public static double[] Softmax(double[] logits, double temperature)
    {
        double max = logits.Max();
        var e = logits.Select(l => Math.Exp((l - max) / temperature)).ToArray();
        double s = e.Sum();
        return e.Select(v => v / s).ToArray();
    }
}
