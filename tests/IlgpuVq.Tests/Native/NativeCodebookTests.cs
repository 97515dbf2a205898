using ILGPU;
using IlgpuVq.Engine.Devices;
using IlgpuVq.Engine.Memory;
using IlgpuVq.Engine.Ops;
using IlgpuVq.Engine.Tensors;
using IlgpuVq.Kernels;
using static IlgpuVq.Tests.Native.NativeTestKit;
using V = ILGPU.ArrayView<float>;

namespace IlgpuVq.Tests.Native;

/// <summary>
/// The native codebook kernels: nearest-code indices equal to the ILGPU kernel's (run on the CPU simulator) and to a
/// scalar float scan with the kernel's arithmetic, including exact ties, NaN/∞ inputs, code counts that are not
/// multiples of the vector pass, and both worker counts; the loss kernels bit-identical to their kernel bodies.
/// </summary>
public class NativeCodebookTests
{
    /// <summary>A codebook [K, D] whose second half is the negation of its first half (z = 0 ties each pair exactly) and
    /// whose code 3 repeats as the last code (an exact duplicate far from its original).</summary>
    static float[] TiedCodebook(int seed, int codes, int dim)
    {
        var e = Random(seed, codes * dim, -1f, 1f);
        int half = codes / 2;
        for (int k = 0; k < half; k++)
            for (int d = 0; d < dim; d++) e[(half + k) * dim + d] = -e[k * dim + d];
        if (codes > 4) Array.Copy(e, 3 * dim, e, (codes - 1) * dim, dim);
        return e;
    }

    /// <summary>z [B, D, HW] with random rows, all-zero rows (pair ties), rows equal to code 3 (duplicate tie) and rows equal to a code.</summary>
    static float[] RowsWithTies(int seed, int batch, int dim, int hw, float[] codebook, int codes)
    {
        var z = Random(seed, batch * dim * hw, -1f, 1f);
        var rng = new Random(seed);
        for (int row = 0; row < batch * hw; row++)
        {
            int kind = rng.Next(4), code = kind == 2 ? Math.Min(3, codes - 1) : rng.Next(codes);
            if (kind == 0) continue;
            for (int d = 0; d < dim; d++)
                z[(row / hw * dim + d) * hw + row % hw] = kind == 1 ? 0f : codebook[code * dim + d];
        }
        return z;
    }

    /// <summary>The kernel's search as a plain float loop: Σ_d over ascending d of diff·diff, strictly smaller replaces.</summary>
    static int[] ScalarScan(float[] z, float[] e, int rows, int codes, int dim, int hw)
    {
        var result = new int[rows];
        for (int row = 0; row < rows; row++)
        {
            int b = row / hw, s = row % hw;
            float best = float.PositiveInfinity;
            for (int k = 0; k < codes; k++)
            {
                float dist = 0f;
                for (int d = 0; d < dim; d++)
                {
                    float diff = z[(b * dim + d) * hw + s] - e[k * dim + d];
                    dist += diff * diff;
                }
                if (dist < best) { best = dist; result[row] = k; }
            }
        }
        return result;
    }

    static int[] Nearest(string device, float[] z, float[] e, int batch, int dim, int hw, int codes)
    {
        using var scope = new TensorScope();
        var dev = DeviceCatalog.Open(device);
        var (idx, _) = Codebook.NearestNchw(Tensor.FromArray(dev, z, batch, dim, hw, 1), Tensor.FromArray(dev, e, codes, dim));
        return idx.ToIntArray();
    }

    [Theory]
    [InlineData(1, 1, 1, 1)]
    [InlineData(3, 7, 5, 17)]
    [InlineData(2, 9, 13, 65)]
    [InlineData(1, 70, 3, 130)]
    public void NearestEqualsTheIlgpuKernel(int batch, int hw, int dim, int codes)
    {
        var e = TiedCodebook(codes, codes, dim);
        var z = RowsWithTies(hw, batch, dim, hw, e, codes);
        var expected = Nearest("cpu-sim", z, e, batch, dim, hw, codes);
        Assert.Equal(expected, Nearest("cpu", z, e, batch, dim, hw, codes));
        Assert.Equal(expected, ScalarScan(z, e, batch * hw, codes, dim, hw));
    }

    [Fact]
    public void NearestOnTheRefShapeEqualsTheScalarScanForAnyWorkerCount()
    {
        int batch = 3, hw = 67, dim = 64, codes = 512;
        var e = TiedCodebook(5, codes, dim);
        var z = RowsWithTies(6, batch, dim, hw, e, codes);
        var expected = ScalarScan(z, e, batch * hw, codes, dim, hw);
        Assert.Equal(expected, WithWorkers(1, () => Nearest("cpu", z, e, batch, dim, hw, codes)));
        Assert.Equal(expected, WithWorkers(2, () => Nearest("cpu", z, e, batch, dim, hw, codes)));
    }

    [Fact]
    public void NearestTreatsNaNAndInfinityLikeTheKernel()
    {
        int dim = 2, codes = 5, hw = 6;
        float[] e = [0, 0, float.NaN, 1, 1, 1, float.PositiveInfinity, 0, 2, 2];
        // Rows: NaN (every distance NaN → 0), +∞ (∞ or NaN distances → 0), huge (overflowing distances), ordinary values.
        float[] z = [float.NaN, float.PositiveInfinity, 3e38f, 0.9f, 1.6f, -1f,
                     0f, 0f, 3e38f, 1.1f, 2f, float.NegativeInfinity];
        var expected = ScalarScan(z, e, hw, codes, dim, hw);
        Assert.Equal(expected, Nearest("cpu-sim", z, e, 1, dim, hw, codes));
        Assert.Equal(expected, Nearest("cpu", z, e, 1, dim, hw, codes));
    }

    [Theory, MemberData(nameof(NativeElementwiseTests.SizeData), MemberType = typeof(NativeElementwiseTests))]
    public void LossKernelsAreBitIdentical(int n)
    {
        foreach (int workers in new[] { 1, 2 })
        {
            using var scope = new TensorScope();
            var a = T(Random(n, n));
            var b = T(Random(n + 1, n));
            var dy = T([0.3f]);
            int chunk = Math.Max(1, (n + 63) / 64), chunks = (n + chunk - 1) / chunk;
            var p1 = T(new float[chunks]);
            var p2 = T(new float[chunks]);
            CodebookKernels.SquaredDiffPartials(new Index1D(0), chunks, 1, a.View, b.View, p1.View, n, chunk);
            WithWorkers(workers, () => { NativeOf(Codebook.PartialKernel)(default, chunks, 1, a.View, b.View, p2.View, n, chunk); return 0; });
            BitEqual(p1.ToArray(), p2.ToArray());
            var y1 = T(new float[n]);
            var y2 = T(new float[n]);
            CodebookKernels.ScaledDiff(new Index1D(0), n, 1, a.View, b.View, dy.View, y1.View, 2f / n);
            WithWorkers(workers, () => { NativeOf(Codebook.DiffKernel)(default, n, 1, a.View, b.View, dy.View, y2.View, 2f / n); return 0; });
            BitEqual(y1.ToArray(), y2.ToArray());
        }
    }
}
