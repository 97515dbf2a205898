using IlgpuVq.Checks.Reference;
using IlgpuVq.Engine.Memory;
using IlgpuVq.Engine.Ops;
using IlgpuVq.Engine.Tensors;

namespace IlgpuVq.Tests.Ops;

/// <summary>Nearest-code search and the VQ ops beyond the generic checks: exact index agreement with a brute-force
/// reference, deliberate ties, gradient routing of the straight-through estimator and the two losses, usage counts.</summary>
public class CodebookTests
{
    static double[] Random(int seed, int n)
    {
        var rng = new Random(seed);
        return Enumerable.Range(0, n).Select(_ => rng.NextDouble() * 2 - 1).ToArray();
    }

    static float[] F(double[] x) => x.Select(v => (float)v).ToArray();

    /// <summary>Data exactly representable in float32, so the engine and the double reference see the same points.</summary>
    static double[] Rounded(double[] x) => x.Select(v => (double)(float)v).ToArray();

    [Theory]
    [MemberData(nameof(TestDevices.All), MemberType = typeof(TestDevices))]
    public void IndicesMatchBruteForceOnRandomData(string deviceName)
    {
        var device = TestDevices.Get(deviceName);
        using var scope = new TensorScope();
        // Row counts and code counts that are not multiples of any group or tile; D = 70 makes tiles of 29 codes
        // and rows of more floats than a group has threads.
        foreach (var (n, k, d) in new[] { (1, 1, 3), (37, 5, 2), (131, 67, 8), (45, 100, 70) })
        {
            var z = Rounded(Random(100 + n, n * d));
            var e = Rounded(Random(200 + k, k * d));
            Assert.True(CodebookReference.Margins(z, e, n, k, d).Min() > 1e-4, "test data has a near tie; choose another seed");
            var expected = CodebookReference.Nearest(z, e, n, k, d);
            var (idx, q) = Codebook.Nearest(Tensor.FromArray(device, F(z), n, d), Tensor.FromArray(device, F(e), k, d));
            Assert.Equal(expected, idx.ToIntArray());
            var quantized = q.ToArray();
            for (int r = 0; r < n; r++)
                for (int j = 0; j < d; j++)
                    Assert.Equal((float)e[expected[r] * d + j], quantized[r * d + j]);
        }
    }

    [Theory]
    [MemberData(nameof(TestDevices.All), MemberType = typeof(TestDevices))]
    public void NchwIndicesMatchBruteForce(string deviceName)
    {
        var device = TestDevices.Get(deviceName);
        using var scope = new TensorScope();
        int b = 3, d = 5, h = 7, w = 9, k = 23;
        var z = Rounded(Random(300, b * d * h * w));
        var e = Rounded(Random(301, k * d));
        var rows = CodebookReference.NchwToRows(z, b, d, h * w);
        Assert.True(CodebookReference.Margins(rows, e, b * h * w, k, d).Min() > 1e-4, "test data has a near tie");
        var expected = CodebookReference.Nearest(rows, e, b * h * w, k, d);
        var (idx, q) = Codebook.NearestNchw(Tensor.FromArray(device, F(z), b, d, h, w), Tensor.FromArray(device, F(e), k, d));
        Assert.Equal(new[] { b, h, w }, idx.Shape);
        Assert.Equal(new[] { b, d, h, w }, q.Shape);
        Assert.Equal(expected, idx.ToIntArray());
        var quantized = q.ToArray();
        var expectedQ = CodebookReference.QuantizeNchw(z, e, b, k, d, h * w);
        for (int i = 0; i < quantized.Length; i++) Assert.Equal((float)expectedQ[i], quantized[i]);
    }

    [Theory]
    [MemberData(nameof(TestDevices.All), MemberType = typeof(TestDevices))]
    public void TiesGoToTheLowestIndex(string deviceName)
    {
        var device = TestDevices.Get(deviceName);
        using var scope = new TensorScope();
        // Codes (D = 2): 0 = (5,5), 1 = (1,0), 2 = (-1,0), 3 = (1,0) again, 4 = (0,1).
        float[] codebook = [5, 5, 1, 0, -1, 0, 1, 0, 0, 1];
        // (0,0) is at distance 1 from codes 1, 2, 3 and 4 → 1. (1,0) equals codes 1 and 3 → 1. (0,-1) ties 1, 2, 3 → 1.
        // (-1,1) ties codes 2 and 4 → 2. (5,5) → 0. (0.5,0.5) ties 1, 3, 4 → 1.
        float[] z = [0, 0, 1, 0, 0, -1, -1, 1, 5, 5, 0.5f, 0.5f];
        var (idx, _) = Codebook.Nearest(Tensor.FromArray(device, z, 6, 2), Tensor.FromArray(device, codebook, 5, 2));
        Assert.Equal(new[] { 1, 1, 1, 2, 0, 1 }, idx.ToIntArray());
        // Many rows, all tied between duplicated codes spread over several tiles: always the first copy.
        var dup = Enumerable.Range(0, 300).SelectMany(_ => new[] { 0.25f, -0.5f }).ToArray();
        var rows = Enumerable.Range(0, 50).SelectMany(_ => new[] { 0.25f, -0.5f }).ToArray();
        var (idx2, _) = Codebook.Nearest(Tensor.FromArray(device, rows, 50, 2), Tensor.FromArray(device, dup, 300, 2));
        Assert.All(idx2.ToIntArray(), i => Assert.Equal(0, i));
    }

    [Theory]
    [MemberData(nameof(TestDevices.All), MemberType = typeof(TestDevices))]
    public void SearchIsExactWithTheIsicPresetsCodebook(string deviceName)
    {
        var device = TestDevices.Get(deviceName);
        using var scope = new TensorScope();
        // K = 128, D = 512 (the isic preset), integer data: every distance is exact in float, so the indices must equal the
        // reference's, ties included. Codes 100..127 repeat codes 0..27, and every row is one of the codes with a single
        // element moved by ±1 towards a second code's value, so many rows tie and the lowest index must win.
        const int k = 128, d = 512, n = 300;
        var rng = new Random(17);
        var e = new double[k * d];
        for (int i = 0; i < 100 * d; i++) e[i] = rng.Next(-2, 3);
        Array.Copy(e, 0, e, 100 * d, 28 * d);
        var z = new double[n * d];
        for (int r = 0; r < n; r++)
        {
            int code = rng.Next(k);
            Array.Copy(e, code * d, z, r * d, d);
            z[r * d + rng.Next(d)] += rng.Next(2) * 2 - 1;
        }
        var expected = CodebookReference.Nearest(z, e, n, k, d);
        Assert.Contains(expected, i => i < 28); // rows whose nearest code has a later duplicate
        var idx = Codebook.NearestIndices(Tensor.FromArray(device, F(z), n, d), Tensor.FromArray(device, F(e), k, d));
        Assert.Equal(expected, idx.ToIntArray());
        Assert.DoesNotContain(idx.ToIntArray(), i => i >= 100);
    }

    [Theory]
    [MemberData(nameof(TestDevices.All), MemberType = typeof(TestDevices))]
    public void StraightThroughPassesTheGradientToZOnly(string deviceName)
    {
        var device = TestDevices.Get(deviceName);
        using var scope = new TensorScope();
        var z = Tensor.FromArray(device, F(Random(1, 12)), 3, 4);
        var zq = Tensor.FromArray(device, F(Random(2, 12)), 3, 4);
        z.RequiresGrad = zq.RequiresGrad = true;
        var y = Codebook.StraightThrough(z, zq);
        Assert.Equal(zq.ToArray(), y.ToArray());
        var g = F(Random(3, 12));
        y.Backward(Tensor.FromArray(device, g, 3, 4));
        Assert.Equal(g, z.Grad!.ToArray());
        Assert.Null(zq.Grad);
    }

    [Theory]
    [MemberData(nameof(TestDevices.All), MemberType = typeof(TestDevices))]
    public void LossesRouteGradientsToOneSide(string deviceName)
    {
        var device = TestDevices.Get(deviceName);
        using var scope = new TensorScope();
        var zData = F(Random(4, 2 * 3 * 2 * 2));
        var table = Tensor.FromArray(device, F(Random(5, 4 * 3)), 4, 3);
        table.RequiresGrad = true;
        var z = Tensor.FromArray(device, zData, 2, 3, 2, 2);
        z.RequiresGrad = true;
        var (idx, _) = Codebook.NearestNchw(z, table);
        var e = Embedding.LookupNchw(table, idx);

        Codebook.CodebookLoss(z, e).Backward();
        Assert.Null(z.Grad);
        Assert.NotNull(table.Grad);
        Assert.Contains(table.Grad!.ToArray(), v => v != 0);

        table.ZeroGrad();
        var commitment = Codebook.CommitmentLoss(z, e, 0.25f);
        var expected = CodebookReference.ScaledMeanSquaredError(zData.Select(v => (double)v).ToArray(),
            e.ToArray().Select(v => (double)v).ToArray(), 0.25)[0];
        Assert.Equal(expected, commitment.Item(), 1e-6);
        commitment.Backward();
        Assert.All(table.Grad!.ToArray(), v => Assert.Equal(0f, v));
        Assert.NotNull(z.Grad);
        var eData = e.ToArray();
        var gz = z.Grad!.ToArray();
        for (int i = 0; i < gz.Length; i++) Assert.Equal(2 * 0.25 * (zData[i] - eData[i]) / zData.Length, gz[i], 1e-6);
    }

    [Theory]
    [MemberData(nameof(TestDevices.All), MemberType = typeof(TestDevices))]
    public void UsageCountsAndPerplexity(string deviceName)
    {
        var device = TestDevices.Get(deviceName);
        using var scope = new TensorScope();
        var rng = new Random(9);
        var indices = Enumerable.Range(0, 500).Select(_ => rng.Next(7)).ToArray();
        var counts = Codebook.UsageCounts(Tensor.FromIntArray(device, indices, 5, 10, 10), 9).ToIntArray();
        var expected = Enumerable.Range(0, 9).Select(k => indices.Count(i => i == k)).ToArray();
        Assert.Equal(expected, counts);
        Assert.Equal(0, counts[8]);
        Assert.Equal(CodebookReference.Perplexity(expected), Codebook.Perplexity(counts), 1e-12);
        Assert.Equal(4, Codebook.Perplexity([3, 3, 0, 3, 3]), 1e-12);
        Assert.Equal(1, Codebook.Perplexity([0, 17, 0]), 1e-12);
        var onDevice = Codebook.Perplexity(Codebook.UsageCounts(Tensor.FromIntArray(device, [0, 1, 2, 3, 0, 1, 2, 3], 8), 4));
        Assert.Equal(4, onDevice, 1e-12);
    }

    [Fact]
    public void MismatchedCodebookIsRejected()
    {
        var device = TestDevices.Get("cpu");
        using var scope = new TensorScope();
        var ex = Assert.Throws<ArgumentException>(() => Codebook.Nearest(Tensor.Zeros(device, 4, 3), Tensor.Zeros(device, 5, 2)));
        Assert.Contains("codebook_nearest", ex.Message);
        Assert.Throws<ArgumentException>(() => Codebook.NearestNchw(Tensor.Zeros(device, 1, 3, 2, 2), Tensor.Zeros(device, 5, 2)));
        Assert.Throws<ArgumentException>(() => Codebook.CommitmentLoss(Tensor.Zeros(device, 4, 3), Tensor.Zeros(device, 3, 4), 0.25f));
    }
}
