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

    /// <summary>x, its gradient, then y and the gradients of x, w and b of conv2d(relu(x)): fused (<c>reluInput</c>) or as
    /// <see cref="Elementwise.Relu"/> then conv2d.</summary>
    static float[][] ConvOfRelu(string device, bool fused, int cin, int size, int cout, int k, int stride, int padding)
    {
        var dev = TestDevices.Get(device);
        using var scope = new TensorScope();
        var x = Tensor.FromArray(dev, SeededValues.Uniform(5, 2 * cin * size * size), 2, cin, size, size);
        var w = Tensor.FromArray(dev, SeededValues.Uniform(6, cout * cin * k * k), cout, cin, k, k);
        var b = Tensor.FromArray(dev, SeededValues.Uniform(7, cout), cout);
        foreach (var t in new[] { x, w, b }) t.RequiresGrad = true;
        var p = Padding2d.Same(padding);
        var y = fused ? Conv2d.Apply(x, w, b, stride, stride, p, reluInput: true) : Conv2d.Apply(Elementwise.Relu(x), w, b, stride, stride, p);
        y.Backward(Tensor.FromArray(dev, SeededValues.Uniform(8, y.Length), y.Shape));
        var result = new[] { y.ToArray(), x.Grad!.ToArray(), w.Grad!.ToArray(), b.Grad!.ToArray() };
        foreach (var t in new[] { x, w, b }) t.Dispose();
        return result;
    }

    /// <summary>The fused ReLU gives the same bits as a ReLU then the convolution, forward and all gradients, on every path the
    /// native backend takes by default at the VQ-VAE's sizes (Winograd 3×3, 4×4 stride 2 by space-to-depth, the 1×1 product,
    /// im2col for 3×3 stride 2) and on the ILGPU kernels; and some x is negative, so the mask is exercised.</summary>
    [Theory]
    [MemberData(nameof(TestDevices.All), MemberType = typeof(TestDevices))]
    public void ConvolutionOfReluEqualsReluThenConvolution(string device)
    {
        foreach (var (cin, size, cout, k, stride, padding) in new[] { (32, 16, 40, 3, 1, 1), (9, 32, 32, 4, 2, 1), (33, 7, 20, 1, 1, 0), (12, 11, 16, 3, 2, 1) })
        {
            var fused = ConvOfRelu(device, true, cin, size, cout, k, stride, padding);
            var unfused = ConvOfRelu(device, false, cin, size, cout, k, stride, padding);
            for (int i = 0; i < fused.Length; i++) Assert.Equal(unfused[i], fused[i]);
            Assert.Contains(fused[1], v => v == 0f);
            Assert.Contains(fused[1], v => v != 0f);
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
