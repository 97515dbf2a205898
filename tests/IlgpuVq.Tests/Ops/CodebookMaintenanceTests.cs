using IlgpuVq.Checks.Reference;
using IlgpuVq.Engine.Memory;
using IlgpuVq.Engine.Ops;
using IlgpuVq.Engine.Tensors;

namespace IlgpuVq.Tests.Ops;

/// <summary>EMA codebook update and dead-code restart: a hand-computed example, agreement with the double reference
/// (flat and NCHW), unused codes, bit-identical repeats, and a restarted dead code becoming selectable.</summary>
public class CodebookMaintenanceTests
{
    static double[] Random(int seed, int n, double scale = 1)
    {
        var rng = new Random(seed);
        return Enumerable.Range(0, n).Select(_ => (double)(float)((rng.NextDouble() * 2 - 1) * scale)).ToArray();
    }

    static float[] F(double[] x) => x.Select(v => (float)v).ToArray();
    static double[] D(float[] x) => x.Select(v => (double)v).ToArray();

    static void AssertClose(double[] expected, float[] actual, double tolerance)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (int i = 0; i < expected.Length; i++)
            Assert.True(Math.Abs(expected[i] - actual[i]) <= tolerance * (1 + Math.Abs(expected[i])),
                $"element {i}: expected {expected[i]}, got {actual[i]}");
    }

    [Theory]
    [MemberData(nameof(TestDevices.All), MemberType = typeof(TestDevices))]
    public void EmaUpdateMatchesHandComputedExample(string deviceName)
    {
        var device = TestDevices.Get(deviceName);
        using var scope = new TensorScope();
        // K = 3, D = 2, γ = 0.5, ε = 0.1. Before: N = [1, 1, 2], M = [(1,1), (0,2), (2,2)].
        // Batch: z0 = (1,0) → 0, z1 = (0,4) → 1, z2 = (3,2) → 0, z3 = (2,2) → 1; code 2 gets nothing.
        // n_k = [2, 2, 0], s_0 = (4,2), s_1 = (2,6), s_2 = (0,0).
        // N = 0.5·[1,1,2] + 0.5·[2,2,0] = [1.5, 1.5, 1].
        // M_0 = 0.5·(1,1) + 0.5·(4,2) = (2.5, 1.5); M_1 = 0.5·(0,2) + 0.5·(2,6) = (1, 4); M_2 = 0.5·(2,2) = (1, 1).
        // n = 4, n + Kε = 4.3; Ñ_0 = Ñ_1 = 1.6/4.3·4 = 6.4/4.3; Ñ_2 = 1.1/4.3·4 = 4.4/4.3.
        // e_0 = (2.5·4.3/6.4, 1.5·4.3/6.4) = (1.6796875, 1.0078125); e_1 = (4.3/6.4, 4·4.3/6.4) = (0.671875, 2.6875);
        // e_2 = (4.3/4.4, 4.3/4.4) = (0.97727…, 0.97727…): the unused code decays N and M and keeps e = M/Ñ.
        var codebook = Tensor.FromArray(device, [9, 9, 9, 9, 9, 9], 3, 2);
        var counts = Tensor.FromArray(device, [1, 1, 2], 3);
        var sums = Tensor.FromArray(device, [1, 1, 0, 2, 2, 2], 3, 2);
        var z = Tensor.FromArray(device, [1, 0, 0, 4, 3, 2, 2, 2], 4, 2);
        var idx = Tensor.FromIntArray(device, [0, 1, 0, 1], 4);
        CodebookMaintenance.EmaUpdate(codebook, counts, sums, z, idx, 0.5f, 0.1f);
        Assert.Equal(new float[] { 1.5f, 1.5f, 1f }, counts.ToArray());
        Assert.Equal(new float[] { 2.5f, 1.5f, 1f, 4f, 1f, 1f }, sums.ToArray());
        AssertClose([1.6796875, 1.0078125, 0.671875, 2.6875, 4.3 / 4.4, 4.3 / 4.4], codebook.ToArray(), 1e-6);
    }

    [Theory]
    [MemberData(nameof(TestDevices.All), MemberType = typeof(TestDevices))]
    public void EmaUpdateMatchesReferenceForFlatAndNchw(string deviceName)
    {
        var device = TestDevices.Get(deviceName);
        using var scope = new TensorScope();
        // (batch, D, H, W, K); H = 0 means the flat [N,D] layout with N = batch. Code K−1 is never assigned.
        foreach (var (batch, dim, h, w, codes) in new[] { (37, 3, 0, 0, 6), (1, 1, 0, 0, 1), (2, 5, 3, 7, 13), (1, 13, 1, 1, 4) })
        {
            bool nchw = h > 0;
            int rows = nchw ? batch * h * w : batch, hw = nchw ? h * w : 1;
            var cb = Random(1, codes * dim);
            var n = Random(2, codes).Select(v => (double)(float)(1 + Math.Abs(v))).ToArray();
            var m = Random(3, codes * dim);
            var (eCb, eN, eM) = ((double[])cb.Clone(), (double[])n.Clone(), (double[])m.Clone());
            var tCb = Tensor.FromArray(device, F(cb), codes, dim);
            var tN = Tensor.FromArray(device, F(n), codes);
            var tM = Tensor.FromArray(device, F(m), codes, dim);
            for (int step = 0; step < 3; step++)
            {
                var z = Random(10 + step, rows * dim);
                var rng = new Random(20 + step);
                var idx = Enumerable.Range(0, rows).Select(_ => codes == 1 ? 0 : rng.Next(codes - 1)).ToArray();
                var zRows = nchw ? CodebookReference.NchwToRows(z, batch, dim, hw) : z;
                CodebookMaintenanceReference.EmaUpdate(eCb, eN, eM, zRows, idx, codes, dim, 0.9, 1e-5);
                var tz = nchw ? Tensor.FromArray(device, F(z), batch, dim, h, w) : Tensor.FromArray(device, F(z), rows, dim);
                var ti = nchw ? Tensor.FromIntArray(device, idx, batch, h, w) : Tensor.FromIntArray(device, idx, rows);
                CodebookMaintenance.EmaUpdate(tCb, tN, tM, tz, ti, 0.9f, 1e-5f);
            }
            AssertClose(eN, tN.ToArray(), 1e-5);
            AssertClose(eM, tM.ToArray(), 1e-5);
            AssertClose(eCb, tCb.ToArray(), 1e-5);
            if (codes > 1) Assert.True(tN.ToArray()[codes - 1] < n[codes - 1], "an unused code's count must decay");
        }
    }

    [Theory]
    [MemberData(nameof(TestDevices.All), MemberType = typeof(TestDevices))]
    public void EmaUpdateIsBitIdenticalOnRepeats(string deviceName)
    {
        var device = TestDevices.Get(deviceName);
        using var scope = new TensorScope();
        int b = 4, dim = 6, h = 9, w = 11, codes = 7;
        var z = Tensor.FromArray(device, F(Random(5, b * dim * h * w, 3)), b, dim, h, w);
        var rng = new Random(6);
        var idx = Tensor.FromIntArray(device, Enumerable.Range(0, b * h * w).Select(_ => rng.Next(codes)).ToArray(), b, h, w);
        (float[], float[], float[]) Run()
        {
            var cb = Tensor.Zeros(device, codes, dim);
            var n = Tensor.FromArray(device, F(Random(7, codes).Select(Math.Abs).ToArray()), codes);
            var m = Tensor.FromArray(device, F(Random(8, codes * dim)), codes, dim);
            for (int i = 0; i < 3; i++) CodebookMaintenance.EmaUpdate(cb, n, m, z, idx, 0.99f, 1e-5f);
            return (cb.ToArray(), n.ToArray(), m.ToArray());
        }
        var first = Run();
        var second = Run();
        Assert.Equal(first.Item1, second.Item1);
        Assert.Equal(first.Item2, second.Item2);
        Assert.Equal(first.Item3, second.Item3);
    }

    [Theory]
    [MemberData(nameof(TestDevices.All), MemberType = typeof(TestDevices))]
    public void TrackUsageMatchesReference(string deviceName)
    {
        var device = TestDevices.Get(deviceName);
        using var scope = new TensorScope();
        int codes = 11;
        var ages = new int[codes];
        var tAges = Tensor.ZerosInt(device, codes);
        for (int step = 0; step < 4; step++)
        {
            var rng = new Random(step);
            var idx = Enumerable.Range(0, 2 * 3 * 2).Select(_ => rng.Next(step + 3)).ToArray();
            CodebookMaintenanceReference.TrackUsage(ages, idx);
            CodebookMaintenance.TrackUsage(tAges, Tensor.FromIntArray(device, idx, 2, 3, 2));
            Assert.Equal(ages, tAges.ToIntArray());
        }
        Assert.Equal(4, tAges.ToIntArray()[codes - 1]);
    }

    /// <summary>Codes 0..2 sit near the data; code 3 is far away and never chosen. z has rows near each live code so
    /// they stay alive. Returns the codebook after 2 steps of nearest search + TrackUsage + RestartDead (window 2).</summary>
    static (float[] Codebook, int Restarted, float[] Z, int[] IndicesAfter) DeadCodeScenario(string deviceName, ulong seed)
    {
        var device = TestDevices.Get(deviceName);
        using var scope = new TensorScope();
        float[] start = [1, 0, -1, 0, 0, 1, 100, 100];
        var codebook = Tensor.FromArray(device, start, 4, 2);
        var ages = Tensor.ZerosInt(device, 4);
        var restarted = Tensor.ZerosInt(device, 1);
        int rows = 20;
        var zData = F(Random(40, rows * 2));
        zData[0] = 0.9f; zData[1] = 0.1f; zData[2] = -0.9f; zData[3] = -0.1f; zData[4] = 0.1f; zData[5] = 0.9f;
        var z = Tensor.FromArray(device, zData, rows, 2);
        for (long step = 0; step < 2; step++)
        {
            var (idx, _) = Codebook.Nearest(z, codebook);
            Assert.DoesNotContain(3, idx.ToIntArray());
            CodebookMaintenance.TrackUsage(ages, idx);
            CodebookMaintenance.RestartDead(codebook, ages, z, window: 2, seed, step, restarted);
            if (step == 0) Assert.Equal(start, codebook.ToArray());
        }
        Assert.All(ages.ToIntArray(), a => Assert.Equal(0, a));
        var (after, _) = Codebook.Nearest(z, codebook);
        return (codebook.ToArray(), restarted.ToIntArray()[0], zData, after.ToIntArray());
    }

    [Theory]
    [MemberData(nameof(TestDevices.All), MemberType = typeof(TestDevices))]
    public void DeadCodeIsRestartedFromTheBatch(string deviceName)
    {
        var (cb, restarted, z, after) = DeadCodeScenario(deviceName, seed: 1);
        Assert.Equal(1, restarted);
        Assert.Equal(new float[] { 1, 0, -1, 0, 0, 1 }, cb[..6]);
        int r = CodebookMaintenanceReference.SourceRow(1, 1, 3, 20);
        Assert.Equal(z[(2 * r)..(2 * r + 2)], cb[6..8]);
        Assert.Equal(3, after[r]);

        var again = DeadCodeScenario(deviceName, seed: 1);
        Assert.Equal(cb, again.Codebook);
        var other = DeadCodeScenario(deviceName, seed: 2);
        Assert.Equal(1, other.Restarted);
        Assert.NotEqual(cb[6..8], other.Codebook[6..8]);
    }

    [Theory]
    [MemberData(nameof(TestDevices.All), MemberType = typeof(TestDevices))]
    public void RestartDeadMatchesReferenceWithEmaBuffersOnNchw(string deviceName)
    {
        var device = TestDevices.Get(deviceName);
        using var scope = new TensorScope();
        int b = 2, dim = 3, h = 5, w = 3, codes = 9, rows = b * h * w, window = 3;
        var z = Random(50, b * dim * h * w);
        var cb = Random(51, codes * dim);
        var n = Random(52, codes).Select(Math.Abs).ToArray();
        var m = Random(53, codes * dim);
        int[] ages = [0, 3, 2, 7, 3, 0, 1, 4, 2];
        var tCb = Tensor.FromArray(device, F(cb), codes, dim);
        var tN = Tensor.FromArray(device, F(n), codes);
        var tM = Tensor.FromArray(device, F(m), codes, dim);
        var tAges = Tensor.FromIntArray(device, ages, codes);
        var restarted = Tensor.FromIntArray(device, [5], 1);
        CodebookMaintenance.RestartDead(tCb, tAges, Tensor.FromArray(device, F(z), b, dim, h, w), window, 77, 12345, restarted, tN, tM);
        int expected = CodebookMaintenanceReference.RestartDead(cb, ages, CodebookReference.NchwToRows(z, b, dim, h * w), rows, dim,
            window, 77, 12345, n, m);
        Assert.Equal(4, expected);
        Assert.Equal(5 + expected, restarted.ToIntArray()[0]);
        Assert.Equal(ages, tAges.ToIntArray());
        Assert.Equal(F(cb), tCb.ToArray());
        Assert.Equal(F(n), tN.ToArray());
        Assert.Equal(F(m), tM.ToArray());
        Assert.Equal(1f, tN.ToArray()[1]);
    }

    [Fact]
    public void BadShapesAreRejected()
    {
        var device = TestDevices.Get("cpu");
        using var scope = new TensorScope();
        var cb = Tensor.Zeros(device, 4, 3);
        var ex = Assert.Throws<ArgumentException>(() => CodebookMaintenance.EmaUpdate(cb, Tensor.Zeros(device, 4), Tensor.Zeros(device, 4, 3),
            Tensor.Zeros(device, 5, 2), Tensor.ZerosInt(device, 5), 0.9f, 1e-5f));
        Assert.Contains("codebook_ema_update", ex.Message);
        Assert.Throws<ArgumentException>(() => CodebookMaintenance.EmaUpdate(cb, Tensor.Zeros(device, 3), Tensor.Zeros(device, 4, 3),
            Tensor.Zeros(device, 5, 3), Tensor.ZerosInt(device, 5), 0.9f, 1e-5f));
        Assert.Throws<ArgumentException>(() => CodebookMaintenance.RestartDead(cb, Tensor.ZerosInt(device, 4), Tensor.Zeros(device, 1, 2, 2, 2),
            2, 1, 0, Tensor.ZerosInt(device, 1)));
        Assert.Throws<ArgumentException>(() => CodebookMaintenance.RestartDead(cb, Tensor.ZerosInt(device, 4), Tensor.Zeros(device, 5, 3),
            0, 1, 0, Tensor.ZerosInt(device, 1)));
        Assert.Throws<ArgumentException>(() => CodebookMaintenance.TrackUsage(Tensor.Zeros(device, 4), Tensor.ZerosInt(device, 3)));
    }
}
