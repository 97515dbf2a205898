using IlgpuVq.Checks.Reference;
using IlgpuVq.Engine.Memory;
using IlgpuVq.Engine.Ops;
using IlgpuVq.Engine.Tensors;

namespace IlgpuVq.Tests.Ops;

/// <summary><see cref="Gemm"/> against the double <see cref="GemmReference"/>.</summary>
public class GemmTests
{
    /// <summary>Odd sizes that are no tile multiple, every transpose combination; |Δ| ≤ 1e-5 + 1e-5·|C| (K = 41 float products of values in [-1, 1]).</summary>
    [Theory]
    [MemberData(nameof(TestDevices.All), MemberType = typeof(TestDevices))]
    public void TiledGemmMatchesReferenceOnEveryTransposeCombination(string device)
    {
        var dev = TestDevices.Get(device);
        using var scope = new TensorScope();
        const int m = 37, n = 29, k = 41;
        foreach (var ta in new[] { false, true })
            foreach (var tb in new[] { false, true })
            {
                float[] ha = SeededValues.Uniform(5, m * k), hb = SeededValues.Uniform(6, k * n);
                var a = Tensor.FromArray(dev, ha, ta ? [k, m] : [m, k]);
                var b = Tensor.FromArray(dev, hb, tb ? [n, k] : [k, n]);
                var tiled = Gemm.Apply(a, b, ta, tb).ToArray();
                var expected = GemmReference.Apply(ha.Select(v => (double)v).ToArray(), hb.Select(v => (double)v).ToArray(), m, n, k, ta, tb);
                Assert.Equal(m * n, tiled.Length);
                for (int i = 0; i < tiled.Length; i++)
                    Assert.True(Math.Abs(tiled[i] - expected[i]) <= 1e-5 + 1e-5 * Math.Abs(expected[i]),
                        $"C[{i}] (transA {ta}, transB {tb}): {tiled[i]} vs reference {expected[i]}");
            }
    }
}
