using IlgpuVq.Engine.Memory;
using IlgpuVq.Engine.Ops;
using IlgpuVq.Engine.Tensors;

namespace IlgpuVq.Tests.Ops;

/// <summary>Determinism and argument checks of <see cref="Conv2d"/>, <see cref="ConvTranspose2d"/> and <see cref="Gemm"/>.</summary>
public class Conv2dTests
{
    static float[][] ConvForwardAndGrads(string device, bool transpose)
    {
        var dev = TestDevices.Get(device);
        using var scope = new TensorScope();
        var x = Tensor.FromArray(dev, SeededValues.Uniform(1, 2 * 6 * 9 * 10), 2, 6, 9, 10);
        var w = Tensor.FromArray(dev, SeededValues.Uniform(2, 6 * 7 * 4 * 4), transpose ? [6, 7, 4, 4] : [7, 6, 4, 4]);
        var b = Tensor.FromArray(dev, SeededValues.Uniform(3, 7), 7);
        foreach (var t in new[] { x, w, b }) t.RequiresGrad = true;
        var y = transpose ? ConvTranspose2d.Apply(x, w, b, 2, 1, 1) : Conv2d.Apply(x, w, b, 2, 1);
        y.Backward(Tensor.FromArray(dev, SeededValues.Uniform(4, y.Length), y.Shape));
        var result = new[] { y.ToArray(), x.Grad!.ToArray(), w.Grad!.ToArray(), b.Grad!.ToArray() };
        foreach (var t in new[] { x, w, b }) t.Dispose();
        return result;
    }

    [Theory]
    [MemberData(nameof(TestDevices.All), MemberType = typeof(TestDevices))]
    public void ConvolutionsAreBitIdenticalRunToRun(string device)
    {
        foreach (var transpose in new[] { false, true })
        {
            var first = ConvForwardAndGrads(device, transpose);
            var second = ConvForwardAndGrads(device, transpose);
            for (int i = 0; i < first.Length; i++) Assert.Equal(first[i], second[i]);
            Assert.Contains(first[2], v => v != 0f);
        }
    }

    [Fact]
    public void ShapeMismatchesNameTheOp()
    {
        var dev = TestDevices.Get("cpu");
        using var scope = new TensorScope();
        var x = Tensor.Zeros(dev, 1, 3, 5, 5);
        var ex = Assert.Throws<ArgumentException>(() => Conv2d.Apply(x, Tensor.Zeros(dev, 4, 2, 3, 3), null));
        Assert.Contains("conv2d", ex.Message);
        ex = Assert.Throws<ArgumentException>(() => Conv2d.Apply(x, Tensor.Zeros(dev, 4, 3, 7, 7), null));
        Assert.Contains("larger", ex.Message);
        ex = Assert.Throws<ArgumentException>(() => ConvTranspose2d.Apply(x, Tensor.Zeros(dev, 3, 2, 4, 4), null, 2, 1, 2));
        Assert.Contains("conv_transpose2d", ex.Message);
        ex = Assert.Throws<ArgumentException>(() => Gemm.Apply(Tensor.Zeros(dev, 2, 3), Tensor.Zeros(dev, 4, 5)));
        Assert.Contains("gemm", ex.Message);
    }
}
