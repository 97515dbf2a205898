using IlgpuVq.Engine.Autograd;
using IlgpuVq.Engine.Memory;
using IlgpuVq.Engine.Ops;
using IlgpuVq.Engine.Tensors;

namespace IlgpuVq.Tests.Ops;

/// <summary>Extreme inputs, hand-computed examples and shape errors of <see cref="Elementwise"/>.</summary>
public class ElementwiseTests
{
    static readonly float[] Extremes = [-300f, -88.8f, -20f, -1e-3f, 0f, 1e-3f, 20f, 88.8f, 300f, float.MaxValue, -float.MaxValue];

    static (float[] Y, float[] Dx) ForwardBackward(string deviceName, Func<Tensor, Tensor> op, float[] x, params int[] shape)
    {
        var device = TestDevices.Get(deviceName);
        using var scope = new TensorScope();
        var t = Tensor.FromArray(device, x, shape);
        t.RequiresGrad = true;
        var y = op(t);
        y.Backward(Elementwise.Fill(device, 1f, y.Shape));
        return (y.ToArray(), t.Grad!.ToArray());
    }

    [Theory]
    [MemberData(nameof(TestDevices.All), MemberType = typeof(TestDevices))]
    public void TanhAndSigmoidSaturateToFiniteValuesAndGradients(string deviceName)
    {
        var (tanh, dtanh) = ForwardBackward(deviceName, Elementwise.Tanh, Extremes, Extremes.Length);
        var (sig, dsig) = ForwardBackward(deviceName, Elementwise.Sigmoid, Extremes, Extremes.Length);
        Assert.All(tanh.Concat(dtanh).Concat(sig).Concat(dsig), v => Assert.True(float.IsFinite(v)));
        for (int i = 0; i < Extremes.Length; i++)
        {
            double x = Math.Clamp(Extremes[i], -1e3, 1e3);
            Assert.Equal(Math.Tanh(x), tanh[i], 1e-6);
            Assert.Equal(1 / (1 + Math.Exp(-x)), sig[i], 1e-6);
            Assert.Equal(1 - Math.Tanh(x) * Math.Tanh(x), dtanh[i], 1e-6);
            double s = 1 / (1 + Math.Exp(-x));
            Assert.Equal(s * (1 - s), dsig[i], 1e-6);
        }
        Assert.Equal(1f, tanh[Array.IndexOf(Extremes, 300f)]);
        Assert.Equal(0f, sig[Array.IndexOf(Extremes, -300f)]);
    }

    [Theory]
    [MemberData(nameof(TestDevices.All), MemberType = typeof(TestDevices))]
    public void GatedActivationWithSaturatedInputsIsFinite(string deviceName)
    {
        // x [1, 2·11, 1, 1]: the tanh half takes every extreme, the gate half the reversed list.
        var x = Extremes.Concat(Extremes.Reverse()).ToArray();
        var (y, dx) = ForwardBackward(deviceName, Elementwise.GatedActivation, x, 1, 2 * Extremes.Length, 1, 1);
        Assert.Equal(Extremes.Length, y.Length);
        Assert.All(y.Concat(dx), v => Assert.True(float.IsFinite(v)));
        for (int c = 0; c < Extremes.Length; c++)
        {
            double a = Math.Clamp(x[c], -1e3, 1e3), b = Math.Clamp(x[Extremes.Length + c], -1e3, 1e3);
            double t = Math.Tanh(a), s = 1 / (1 + Math.Exp(-b));
            Assert.Equal(t * s, y[c], 1e-6);
            Assert.Equal(s * (1 - t * t), dx[c], 1e-6);
            Assert.Equal(t * s * (1 - s), dx[Extremes.Length + c], 1e-6);
        }
    }

    [Theory]
    [MemberData(nameof(TestDevices.All), MemberType = typeof(TestDevices))]
    public void BiasAddBroadcastsPerChannelAndSumsItsGradient(string deviceName)
    {
        var device = TestDevices.Get(deviceName);
        using var scope = new TensorScope();
        // x [2, 3, 1, 2] = 0; bias = [1, 2, 3]; dy = index + 1.
        var x = Tensor.Zeros(device, 2, 3, 1, 2);
        var bias = Tensor.FromArray(device, [1f, 2f, 3f], 3);
        bias.RequiresGrad = true;
        var y = Elementwise.BiasAdd(x, bias);
        Assert.Equal([1f, 1f, 2f, 2f, 3f, 3f, 1f, 1f, 2f, 2f, 3f, 3f], y.ToArray());
        y.Backward(Tensor.FromArray(device, Enumerable.Range(1, 12).Select(i => (float)i).ToArray(), 2, 3, 1, 2));
        // channel 0: 1+2+7+8, channel 1: 3+4+9+10, channel 2: 5+6+11+12.
        Assert.Equal([18f, 26f, 34f], bias.Grad!.ToArray());
        Assert.Throws<ArgumentException>(() => Elementwise.BiasAdd(x, Tensor.Zeros(device, 2)));
        Assert.Throws<ArgumentException>(() => Elementwise.GatedActivation(Tensor.Zeros(device, 1, 3, 2, 2)));
        Assert.Throws<ArgumentException>(() => Elementwise.Sub(x, Tensor.Zeros(device, 2, 3, 2, 1)));
    }

    [Theory]
    [MemberData(nameof(TestDevices.All), MemberType = typeof(TestDevices))]
    public void InPlaceHelpersStayOffTheTape(string deviceName)
    {
        var device = TestDevices.Get(deviceName);
        using var scope = new TensorScope();
        var y = Tensor.FromArray(device, [1f, -2f, 4f], 3);
        y.RequiresGrad = true;
        Elementwise.ScaleInPlace(y, 0.5f);
        Assert.Equal([0.5f, -1f, 2f], y.ToArray());
        var z = Tensor.Zeros(device, 3);
        Elementwise.CopyInto(z, y);
        Assert.Equal([0.5f, -1f, 2f], z.ToArray());
        Elementwise.FillInPlace(z, 7f);
        Assert.Equal([7f, 7f, 7f], z.ToArray());
        Assert.Null(y.GradFn);
        using (GradMode.NoGrad()) Assert.Null(Elementwise.Mul(y, y).GradFn);
    }
}
