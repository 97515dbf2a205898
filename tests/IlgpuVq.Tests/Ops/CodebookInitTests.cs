using IlgpuVq.Checks.Reference;
using IlgpuVq.Engine.Memory;
using IlgpuVq.Engine.Ops;
using IlgpuVq.Engine.Tensors;

namespace IlgpuVq.Tests.Ops;

/// <summary>k-means++ seeding and Lloyd iterations of <see cref="CodebookInit"/>: the seeded rows equal the double
/// reference exactly (integer data, so every distance and sum is exact in float), flat and NCHW, with one and with several
/// rows per distance chunk; the iterated codebook matches the reference; separated clusters are recovered; repeats are
/// bit-identical and the seed matters; fewer rows than codes.</summary>
public class CodebookInitTests
{
    static double[] Integers(int seed, int n, int range)
    {
        var rng = new Random(seed);
        return Enumerable.Range(0, n).Select(_ => (double)rng.Next(-range, range + 1)).ToArray();
    }

    static float[] F(double[] x) => x.Select(v => (float)v).ToArray();

    static Tensor Input(Engine.Devices.ComputeDevice device, double[] z, int batch, int dim, int h, int w) =>
        h == 0 ? Tensor.FromArray(device, F(z), batch, dim) : Tensor.FromArray(device, F(z), batch, dim, h, w);

    [Theory]
    [MemberData(nameof(TestDevices.All), MemberType = typeof(TestDevices))]
    public void SeedingPicksTheReferenceRows(string deviceName)
    {
        var device = TestDevices.Get(deviceName);
        using var scope = new TensorScope();
        // (batch, D, H, W, K); H = 0 is the flat [N,D] layout. 2·3·13·17 = 1326 rows > Chunks: two rows per chunk.
        foreach (var (batch, dim, h, w, codes) in new[] { (37, 3, 0, 0, 6), (2, 3, 13, 17, 9), (1, 1, 5, 3, 4), (1500, 2, 0, 0, 11) })
        {
            int hw = h == 0 ? 1 : h * w, rows = batch * hw;
            var z = Integers(batch * 7 + dim, rows * dim, 20);
            var zRows = h == 0 ? z : CodebookReference.NchwToRows(z, batch, dim, hw);
            var expected = new double[codes * dim];
            KMeansReference.SeedRows(zRows, rows, dim, codes, 42, expected);
            var cb = Tensor.Zeros(device, codes, dim);
            CodebookInit.KMeans(cb, Input(device, z, batch, dim, h, w), iterations: 0, seed: 42);
            Assert.Equal(F(expected), cb.ToArray());
        }
    }

    [Theory]
    [MemberData(nameof(TestDevices.All), MemberType = typeof(TestDevices))]
    public void LloydIterationsMatchTheReference(string deviceName)
    {
        var device = TestDevices.Get(deviceName);
        using var scope = new TensorScope();
        int batch = 3, dim = 4, h = 6, w = 5, codes = 7, hw = h * w, rows = batch * hw;
        var z = Integers(9, rows * dim, 50);
        var expected = new double[codes * dim];
        KMeansReference.KMeans(expected, CodebookReference.NchwToRows(z, batch, dim, hw), rows, dim, codes, iterations: 5, seed: 3);
        var cb = Tensor.Zeros(device, codes, dim);
        CodebookInit.KMeans(cb, Input(device, z, batch, dim, h, w), iterations: 5, seed: 3);
        var actual = cb.ToArray();
        for (int i = 0; i < expected.Length; i++)
            Assert.True(Math.Abs(expected[i] - actual[i]) <= 1e-5 * (1 + Math.Abs(expected[i])), $"element {i}: expected {expected[i]}, got {actual[i]}");
    }

    [Theory]
    [MemberData(nameof(TestDevices.All), MemberType = typeof(TestDevices))]
    public void SeparatedClustersAreRecovered(string deviceName)
    {
        var device = TestDevices.Get(deviceName);
        using var scope = new TensorScope();
        // Four tight clusters far from each other (and from the zero codebook): one code ends at each cluster's mean.
        double[][] centres = [[100, 0], [-100, 0], [0, 100], [0, -100]];
        var rng = new Random(5);
        int perCluster = 50;
        var z = new List<float>();
        var means = new double[4][];
        for (int c = 0; c < 4; c++)
        {
            means[c] = new double[2];
            for (int i = 0; i < perCluster; i++)
                for (int d = 0; d < 2; d++)
                {
                    float v = (float)(centres[c][d] + rng.NextDouble() * 2 - 1);
                    z.Add(v);
                    means[c][d] += v / (double)perCluster;
                }
        }
        var cb = Tensor.Zeros(device, 4, 2);
        CodebookInit.KMeans(cb, Tensor.FromArray(device, z.ToArray(), 4 * perCluster, 2), iterations: 3, seed: 1);
        var codes = cb.ToArray();
        foreach (var mean in means)
            Assert.Contains(Enumerable.Range(0, 4), k => Math.Abs(codes[2 * k] - mean[0]) < 1e-3 && Math.Abs(codes[2 * k + 1] - mean[1]) < 1e-3);
    }

    [Theory]
    [MemberData(nameof(TestDevices.All), MemberType = typeof(TestDevices))]
    public void RepeatsAreBitIdenticalAndTheSeedMatters(string deviceName)
    {
        var device = TestDevices.Get(deviceName);
        using var scope = new TensorScope();
        var rng = new Random(11);
        var z = Tensor.FromArray(device, Enumerable.Range(0, 4 * 8 * 9 * 7).Select(_ => (float)rng.NextDouble()).ToArray(), 4, 8, 9, 7);
        float[] Run(ulong seed)
        {
            var cb = Tensor.Zeros(device, 16, 8);
            CodebookInit.KMeans(cb, z, iterations: 4, seed);
            return cb.ToArray();
        }
        var first = Run(7);
        Assert.Equal(first, Run(7));
        Assert.NotEqual(first, Run(8));
        Assert.All(first, v => Assert.True(float.IsFinite(v)));
    }

    [Theory]
    [MemberData(nameof(TestDevices.All), MemberType = typeof(TestDevices))]
    public void FewerRowsThanCodesRepeatRows(string deviceName)
    {
        var device = TestDevices.Get(deviceName);
        using var scope = new TensorScope();
        float[] z = [1, 2, -3, 4, 5, -6];
        var cb = Tensor.Zeros(device, 5, 2);
        CodebookInit.KMeans(cb, Tensor.FromArray(device, z, 3, 2), iterations: 2, seed: 4);
        var codes = cb.ToArray();
        var rows = Enumerable.Range(0, 3).Select(r => (z[2 * r], z[2 * r + 1])).ToHashSet();
        for (int k = 0; k < 5; k++) Assert.Contains((codes[2 * k], codes[2 * k + 1]), rows);
        Assert.Equal(3, Enumerable.Range(0, 5).Select(k => (codes[2 * k], codes[2 * k + 1])).Distinct().Count());
    }

    [Fact]
    public void MismatchedShapesAreRejected()
    {
        var device = TestDevices.Get("cpu");
        using var scope = new TensorScope();
        var ex = Assert.Throws<ArgumentException>(() => CodebookInit.KMeans(Tensor.Zeros(device, 4, 3), Tensor.Zeros(device, 5, 2), 1, 0));
        Assert.Contains("codebook_kmeans_init", ex.Message);
    }
}
