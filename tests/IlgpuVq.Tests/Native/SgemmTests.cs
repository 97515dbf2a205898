using IlgpuVq.Engine.Native;

namespace IlgpuVq.Tests.Native;

/// <summary><see cref="Sgemm"/> against a double-precision triple loop, on odd shapes, all transposes, accumulate and alpha.</summary>
public unsafe class SgemmTests
{
    static float[] Seeded(int seed, int n)
    {
        var rng = new Random(seed);
        var v = new float[n];
        for (int i = 0; i < n; i++) v[i] = (float)(rng.NextDouble() * 2 - 1);
        return v;
    }

    /// <summary>C (= or +=) alpha·op(A)·op(B) with A stored [m,k] or [k,m] and B stored [k,n] or [n,k], row-major.</summary>
    internal static float[] Multiply(int m, int n, int k, float alpha, float[] a, bool transA, float[] b, bool transB, float[] c,
        bool accumulate, bool parallel) => Multiply(SgemmTile.Current, m, n, k, alpha, a, transA, b, transB, c, accumulate, parallel);

    static float[] Multiply(SgemmTile tile, int m, int n, int k, float alpha, float[] a, bool transA, float[] b, bool transB, float[] c,
        bool accumulate, bool parallel)
    {
        var result = (float[])c.Clone();
        fixed (float* pa = a, pb = b, pc = result)
        {
            var ma = transA ? StridedMatrix.Transposed(pa, m) : StridedMatrix.RowMajor(pa, k);
            var mb = transB ? StridedMatrix.Transposed(pb, k) : StridedMatrix.RowMajor(pb, n);
            Sgemm.Multiply(tile, m, n, k, alpha, ma, mb, pc, n, accumulate, parallel);
        }
        return result;
    }

    static double Reference(int i, int j, int m, int n, int k, float[] a, bool transA, float[] b, bool transB)
    {
        double sum = 0;
        for (int p = 0; p < k; p++)
            sum += (double)(transA ? a[p * m + i] : a[i * k + p]) * (transB ? b[j * k + p] : b[p * n + j]);
        return sum;
    }

    public static IEnumerable<object[]> Shapes()
    {
        int[][] shapes =
        [
            [1, 1, 1], [1, 7, 17], [7, 1, 33], [17, 33, 1], [33, 65, 7], [65, 130, 17], [130, 33, 65], [9, 40, 300],
            [130, 65, 513], [8, 32, 256], [6, 16, 256], [12, 48, 257], [145, 17, 9], [129, 1025, 3],
        ];
        foreach (var s in shapes)
            foreach (var ta in new[] { false, true })
                foreach (var tb in new[] { false, true })
                    yield return [s[0], s[1], s[2], ta, tb];
    }

    [Theory]
    [MemberData(nameof(Shapes))]
    public void MatchesDoubleLoop(int m, int n, int k, bool transA, bool transB)
    {
        var a = Seeded(1, m * k);
        var b = Seeded(2, k * n);
        var c = Seeded(3, m * n);
        foreach (var (alpha, accumulate) in new[] { (1f, false), (1f, true), (-0.5f, true), (2f, false) })
        {
            var got = Multiply(m, n, k, alpha, a, transA, b, transB, c, accumulate, parallel: true);
            for (int i = 0; i < m; i++)
                for (int j = 0; j < n; j++)
                {
                    double want = (accumulate ? c[i * n + j] : 0) + alpha * Reference(i, j, m, n, k, a, transA, b, transB);
                    double tol = 1e-5 * Math.Sqrt(k) * (1 + Math.Abs(alpha)) * 4 + 1e-6;
                    Assert.True(Math.Abs(got[i * n + j] - want) <= tol,
                        $"C[{i},{j}] = {got[i * n + j]}, want {want} (m={m} n={n} k={k} alpha={alpha} accumulate={accumulate})");
                }
        }
    }

    /// <summary>Every tile this machine runs (8 × 32 and 6 × 16 on AVX-512; 6 × 16 alone elsewhere) gives the same bits as the
    /// 6 × 16 tile, on shapes with edge tiles of both, every transpose, and K over several slices.</summary>
    [Theory]
    [InlineData(131, 77, 600)]
    [InlineData(6, 16, 256)]
    [InlineData(8, 32, 513)]
    [InlineData(1, 300, 31)]
    [InlineData(34, 40, 300)]
    public void EveryTileIsBitIdentical(int m, int n, int k)
    {
        var a = Seeded(8, m * k);
        var b = Seeded(9, k * n);
        var c = Seeded(10, m * n);
        foreach (var (ta, tb) in new[] { (false, false), (true, false), (false, true), (true, true) })
        {
            var want = Multiply(SgemmTile.Avx2, m, n, k, 0.5f, a, ta, b, tb, c, true, parallel: true);
            foreach (var tile in SgemmTile.Supported)
                Assert.Equal(want, Multiply(tile, m, n, k, 0.5f, a, ta, b, tb, c, true, parallel: true));
        }
    }

    /// <summary>A packed once (<see cref="Sgemm.PackA"/>) gives the same bits as A packed inside the product: row blocks past the
    /// first, edge rows, K over several slices, both transposes of A, serial and parallel.</summary>
    [Theory]
    [InlineData(131, 77, 600)]
    [InlineData(300, 40, 257)]
    [InlineData(1, 300, 31)]
    [InlineData(34, 1030, 9)]
    public void PrepackedAIsBitIdentical(int m, int n, int k)
    {
        var a = Seeded(11, m * k);
        var b = Seeded(12, k * n);
        var c = Seeded(13, m * n);
        foreach (var ta in new[] { false, true })
            foreach (var parallel in new[] { false, true })
            {
                var want = Multiply(m, n, k, 1f, a, ta, b, false, c, true, parallel);
                var got = (float[])c.Clone();
                var packed = new float[Sgemm.PackedASize(SgemmTile.Current, m, k)];
                fixed (float* pa = a, pb = b, pc = got, pp = packed)
                {
                    Sgemm.PackA(m, k, ta ? StridedMatrix.Transposed(pa, m) : StridedMatrix.RowMajor(pa, k), pp);
                    Sgemm.Multiply(m, n, k, 1f, pp, StridedMatrix.RowMajor(pb, n), pc, n, true, parallel);
                }
                Assert.Equal(want, got);
            }
    }

    /// <summary>B read in place (a row stride off the 4 KiB multiples, whole panels) gives the same bits as B packed (the same
    /// rows at a stride of 1024 floats, which is always packed): every tile, two K slices, alpha and accumulate, serial and
    /// parallel; widths that leave a partial panel are packed in both and must agree too.</summary>
    [Theory]
    [InlineData(13, 64, 300)]
    [InlineData(37, 96, 257)]
    [InlineData(8, 32, 5)]
    [InlineData(21, 70, 40)]
    public void BReadInPlaceIsBitIdenticalToBPacked(int m, int n, int k)
    {
        var a = Seeded(21, m * k);
        var rows = Seeded(22, k * n);
        var c = Seeded(23, m * n);
        float[] WithStride(int ldb)
        {
            var b = new float[k * ldb];
            for (int p = 0; p < k; p++) Array.Copy(rows, p * n, b, p * ldb, n);
            return b;
        }
        var packedB = WithStride(1024);
        var inPlaceB = WithStride(1024 + 8);
        foreach (var tile in SgemmTile.Supported)
            foreach (var parallel in new[] { false, true })
            {
                float[] Run(float[] b, int ldb)
                {
                    var result = (float[])c.Clone();
                    fixed (float* pa = a, pb = b, pc = result)
                        Sgemm.Multiply(tile, m, n, k, 0.5f, StridedMatrix.RowMajor(pa, k), StridedMatrix.RowMajor(pb, ldb), pc, n, true, parallel);
                    return result;
                }
                var want = Run(packedB, 1024);
                Assert.Equal(want, Run(inPlaceB, 1024 + 8));
                for (int i = 0; i < m; i++)
                    for (int j = 0; j < n; j++)
                    {
                        double expected = c[i * n + j] + 0.5 * Reference(i, j, m, n, k, a, false, rows, false);
                        Assert.True(Math.Abs(want[i * n + j] - expected) <= 1e-4 * (1 + Math.Abs(expected)), $"C[{i},{j}] {tile}");
                    }
            }
    }

    [Fact]
    public void CurrentTileIsTheIsasTile()
    {
        Assert.Contains(SgemmTile.Current, SgemmTile.Supported);
        Assert.Equal(NativeIsa.Use512 ? SgemmTile.Avx512 : SgemmTile.Avx2, SgemmTile.Current);
        Assert.Contains($"{SgemmTile.Current.Rows}×{SgemmTile.Current.Cols} GEMM tile", NativeIsa.Description);
    }

    [Fact]
    public void ZeroDepthClearsOrKeepsC()
    {
        var c = Seeded(4, 6);
        Assert.All(Multiply(2, 3, 0, 1f, [], false, [], false, c, false, true), v => Assert.Equal(0f, v));
        Assert.Equal(c, Multiply(2, 3, 0, 1f, [], false, [], false, c, true, true));
    }

    [Fact]
    public void SerialAndParallelAndAnyWorkerCountAreBitIdentical()
    {
        const int m = 200, n = 301, k = 700;
        var a = Seeded(5, m * k);
        var b = Seeded(6, k * n);
        var c = Seeded(7, m * n);
        var serial = Multiply(m, n, k, 1f, a, false, b, true, c, true, parallel: false);
        int saved = NativeParallel.Workers;
        try
        {
            foreach (var workers in new[] { 1, 2, 3, 8 })
            {
                NativeParallel.Workers = workers;
                Assert.Equal(serial, Multiply(m, n, k, 1f, a, false, b, true, c, true, parallel: true));
            }
        }
        finally
        {
            NativeParallel.Workers = saved;
        }
    }
}
