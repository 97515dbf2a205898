using IlgpuVq.Checks.Reference;
using IlgpuVq.Engine.Memory;
using IlgpuVq.Engine.Ops;
using IlgpuVq.Engine.Tensors;

namespace IlgpuVq.Tests.Ops;

/// <summary>Cross-entropy beyond the generic checks: extreme logits, hand-computed values, determinism, shape errors.</summary>
public class CrossEntropyTests
{
    [Theory]
    [MemberData(nameof(TestDevices.All), MemberType = typeof(TestDevices))]
    public void ExtremeLogitsGiveFiniteLossAndGradients(string deviceName)
    {
        var device = TestDevices.Get(deviceName);
        using var scope = new TensorScope();
        // [1,3,1,2], element (k, s) at k·2 + s. Position 0 has logits (300, -300, 0) and targets class 0 (loss ≈ 0);
        // position 1 has logits (-300, 300, -300) and targets class 2 (loss ≈ 600).
        float[] data = [300, -300, -300, 300, 0, -300];
        var logits = Tensor.FromArray(device, data, 1, 3, 1, 2);
        logits.RequiresGrad = true;
        var targets = Tensor.FromIntArray(device, [0, 2], 1, 1, 2);
        var loss = CrossEntropy.Mean(logits, targets);
        loss.Backward();
        var value = loss.Item();
        var grad = logits.Grad!.ToArray();
        var expected = CrossEntropyReference.Mean(data.Select(v => (double)v).ToArray(), [0, 2], 1, 3, 2)[0];
        Assert.True(float.IsFinite(value));
        Assert.Equal(expected, value, 1e-3);
        Assert.Equal(300, value, 1e-3); // (0 + 600) / 2
        Assert.All(grad, g => Assert.True(float.IsFinite(g)));
        // Position 1: softmax puts ~1 on class 1 (logit 300), so d/dx[0,1,0,1] = +1/2 and d/dx[0,2,0,1] = -1/2.
        Assert.Equal(0.5, grad[3], 1e-5);
        Assert.Equal(0, grad[1], 1e-6);
        Assert.Equal(-0.5, grad[5], 1e-5);
        // Position 0 is already right: its gradient vanishes.
        Assert.Equal(0, grad[0], 1e-6);
    }

    [Theory]
    [MemberData(nameof(TestDevices.All), MemberType = typeof(TestDevices))]
    public void UniformLogitsGiveLogK(string deviceName)
    {
        var device = TestDevices.Get(deviceName);
        using var scope = new TensorScope();
        const int k = 13;
        var logits = Tensor.FromArray(device, Enumerable.Repeat(-7.5f, 2 * k * 3).ToArray(), 2, k, 3);
        var targets = Tensor.FromIntArray(device, [0, 12, 5, 1, 2, 3], 2, 3);
        Assert.Throws<ArgumentException>(() => CrossEntropy.Mean(logits, targets)); // rank 3 logits are not accepted
        var flat = Tensor.FromArray(device, Enumerable.Repeat(-7.5f, 6 * k).ToArray(), 6, k);
        var flatTargets = Tensor.FromIntArray(device, [0, 12, 5, 1, 2, 3], 6);
        Assert.Equal(Math.Log(k), CrossEntropy.Mean(flat, flatTargets).Item(), 1e-5);
        Assert.All(CrossEntropy.PerPosition(flat, flatTargets).ToArray(), v => Assert.Equal(Math.Log(k), v, 1e-5));
    }

    [Theory]
    [MemberData(nameof(TestDevices.All), MemberType = typeof(TestDevices))]
    public void MeanOverManyChunksMatchesReferenceAndIsBitIdenticalAcrossRuns(string deviceName)
    {
        var device = TestDevices.Get(deviceName);
        using var scope = new TensorScope();
        int b = 3, k = 5, h = 9, w = 11; // 297 positions: several reduction chunks, the last one partial
        var rng = new Random(5);
        var data = Enumerable.Range(0, b * k * h * w).Select(_ => (float)(rng.NextDouble() * 20 - 10)).ToArray();
        var t = Enumerable.Range(0, b * h * w).Select(_ => rng.Next(k)).ToArray();
        var logits = Tensor.FromArray(device, data, b, k, h, w);
        var targets = Tensor.FromIntArray(device, t, b, h, w);
        var first = CrossEntropy.Mean(logits, targets).ToArray()[0];
        var expected = CrossEntropyReference.Mean(data.Select(v => (double)v).ToArray(), t.Select(v => (double)v).ToArray(), b, k, h * w)[0];
        Assert.Equal(expected, first, 1e-4);
        for (int run = 0; run < 3; run++)
            Assert.Equal(BitConverter.SingleToInt32Bits(first), BitConverter.SingleToInt32Bits(CrossEntropy.Mean(logits, targets).ToArray()[0]));
    }

    [Fact]
    public void MismatchedTargetsAreRejected()
    {
        var device = TestDevices.Get("cpu");
        using var scope = new TensorScope();
        var logits = Tensor.Zeros(device, 2, 3, 4, 5);
        var ex = Assert.Throws<ArgumentException>(() => CrossEntropy.Mean(logits, Tensor.ZerosInt(device, 2, 5, 4)));
        Assert.Contains("cross_entropy", ex.Message);
        Assert.Throws<ArgumentException>(() => CrossEntropy.PerPosition(logits, Tensor.Zeros(device, 2, 4, 5)));
    }
}
