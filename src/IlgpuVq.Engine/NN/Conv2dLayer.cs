using IlgpuVq.Engine.Devices;
using IlgpuVq.Engine.Ops;
using IlgpuVq.Engine.Tensors;

namespace IlgpuVq.Engine.NN;

/// <summary>
/// A 2-D convolution layer (PyTorch nn.Conv2d): weight [out, in, kH, kW], bias [out], initialised like
/// PyTorch's default, U(−1/√fanIn, 1/√fanIn). Op: <see cref="Conv2d"/>.
/// </summary>
public sealed class Conv2dLayer : Module
{
    public Conv2dLayer(ComputeDevice device, SeedSequence seeds, int inChannels, int outChannels, int kernel, int stride = 1, int padding = 0, bool bias = true)
        : this(device, seeds, inChannels, outChannels, kernel, kernel, stride, Padding2d.Same(padding), bias) { }

    public Conv2dLayer(ComputeDevice device, SeedSequence seeds, int inChannels, int outChannels, int kernelH, int kernelW, int stride, Padding2d padding, bool bias = true)
    {
        Stride = stride;
        Padding = padding;
        var bound = 1f / MathF.Sqrt(inChannels * kernelH * kernelW);
        Weight = RegisterParameter("weight", Rng.UniformParameter(device, seeds.Next(), [outChannels, inChannels, kernelH, kernelW], bound));
        if (bias) Bias = RegisterParameter("bias", Rng.UniformParameter(device, seeds.Next(), [outChannels], bound));
    }

    public Tensor Weight { get; }
    public Tensor? Bias { get; }
    public int Stride { get; }
    public Padding2d Padding { get; }

    public Tensor Forward(Tensor x) => Conv2d.Apply(x, Weight, Bias, Stride, Stride, Padding);

    /// <summary>The layer applied to relu(x), the ReLU fused into the convolution (<see cref="Conv2d.Apply(Tensor, Tensor, Tensor?, int, int, Padding2d, bool)"/>):
    /// the same values as <c>Forward(Elementwise.Relu(x))</c> without storing relu(x).</summary>
    public Tensor ForwardRelu(Tensor x) => Conv2d.Apply(x, Weight, Bias, Stride, Stride, Padding, reluInput: true);
}
