using IlgpuVq.Engine.Memory;
using IlgpuVq.Engine.Ops;
using IlgpuVq.Engine.Tensors;

namespace IlgpuVq.Tests.Ops;

/// <summary>Determinism and exact small cases of <see cref="Reduction"/> and <see cref="Loss"/>.</summary>
public class ReductionTests
{
    [Theory]
    [MemberData(nameof(TestDevices.All), MemberType = typeof(TestDevices))]
    public void ReductionsAreBitIdenticalRunToRun(string deviceName)
    {
        var device = TestDevices.Get(deviceName);
        using var scope = new TensorScope();
        var rng = new Random(3);
        var data = Enumerable.Range(0, 100003).Select(_ => (float)(rng.NextDouble() * 2 - 1)).ToArray();
        var x = Tensor.FromArray(device, data, 100003);
        var img = Tensor.FromArray(device, data[..(2 * 5 * 13 * 11)], 2, 5, 13, 11);
        var first = (Reduction.Sum(x).Item(), Reduction.Mean(x).Item(), Loss.Mse(x, Tensor.Zeros(device, 100003)).Item(),
            Reduction.SumPerChannel(img).ToArray());
        for (int run = 0; run < 2; run++)
        {
            Assert.Equal(first.Item1, Reduction.Sum(x).Item());
            Assert.Equal(first.Item2, Reduction.Mean(x).Item());
            Assert.Equal(first.Item3, Loss.Mse(x, Tensor.Zeros(device, 100003)).Item());
            Assert.Equal(first.Item4, Reduction.SumPerChannel(img).ToArray());
        }
        Assert.Equal(data.Sum(v => (double)v), first.Item1, 2e-3);
        Assert.Equal(data.Average(v => (double)v * v), first.Item3, 1e-5);
    }

    [Theory]
    [MemberData(nameof(TestDevices.All), MemberType = typeof(TestDevices))]
    public void IntegerValuedSumsAreExact(string deviceName)
    {
        // Small integers sum exactly in float32 in any order: catches skipped or double-counted elements.
        var device = TestDevices.Get(deviceName);
        using var scope = new TensorScope();
        foreach (var n in new[] { 1, 7, 15, 16, 17, 1000, 1023, 1024, 1025, 16 * 16 + 1, 100003 })
        {
            var data = Enumerable.Range(0, n).Select(i => (float)(i % 7 - 3)).ToArray();
            Assert.Equal(data.Sum(), Reduction.Sum(Tensor.FromArray(device, data, n)).Item());
        }
        var ones = Elementwise.Fill(device, 1f, 3, 5, 7, 9);
        Assert.Equal([189f, 189f, 189f, 189f, 189f], Reduction.SumPerChannel(ones).ToArray());
        Assert.Equal([3f], Loss.Mse(Elementwise.Fill(device, 2f, 4, 5), Elementwise.Fill(device, 2f + MathF.Sqrt(3f), 4, 5)).ToArray(), new FloatTol(1e-5f));
    }

    sealed class FloatTol(float tol) : IEqualityComparer<float>
    {
        public bool Equals(float a, float b) => Math.Abs(a - b) <= tol;
        public int GetHashCode(float v) => 0;
    }
}
