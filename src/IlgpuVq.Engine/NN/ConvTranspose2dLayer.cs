using IlgpuVq.Engine.Devices;
using IlgpuVq.Engine.Ops;
using IlgpuVq.Engine.Tensors;

namespace IlgpuVq.Engine.NN;

/// <summary>
/// A transposed 2-D convolution layer (PyTorch nn.ConvTranspose2d): weight [in, out, k, k], bias [out],
/// initialised U(−1/√fanIn, 1/√fanIn) with PyTorch's fan-in (out·k·k). Op: <see cref="ConvTranspose2d"/>.
/// </summary>
public sealed class ConvTranspose2dLayer : Module
{
    public ConvTranspose2dLayer(ComputeDevice device, SeedSequence seeds, int inChannels, int outChannels, int kernel, int stride = 1, int padding = 0, int outputPadding = 0, bool bias = true)
    {
        Stride = stride;
        Padding = padding;
        OutputPadding = outputPadding;
        var bound = 1f / MathF.Sqrt(outChannels * kernel * kernel);
        Weight = RegisterParameter("weight", Rng.UniformParameter(device, seeds.Next(), [inChannels, outChannels, kernel, kernel], bound));
        if (bias) Bias = RegisterParameter("bias", Rng.UniformParameter(device, seeds.Next(), [outChannels], bound));
    }

    public Tensor Weight { get; }
    public Tensor? Bias { get; }
    public int Stride { get; }
    public int Padding { get; }
    public int OutputPadding { get; }

    public Tensor Forward(Tensor x) => ConvTranspose2d.Apply(x, Weight, Bias, Stride, Padding, OutputPadding);
}
