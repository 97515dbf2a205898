using IlgpuVq.Engine.Devices;
using IlgpuVq.Engine.NN;
using IlgpuVq.Engine.Ops;
using IlgpuVq.Engine.Tensors;

namespace IlgpuVq.Models.VqVae;

/// <summary>x + conv1x1(relu(conv3x3(relu(x)))): the VQ-VAE residual block (van den Oord et al. 2017), each ReLU fused into the
/// convolution that reads it (<see cref="Conv2dLayer.ForwardRelu"/>).</summary>
public sealed class ResidualBlock : Module
{
    readonly Conv2dLayer conv3, conv1;

    public ResidualBlock(ComputeDevice device, SeedSequence seeds, int channels, int hidden)
    {
        conv3 = RegisterModule("conv3", new Conv2dLayer(device, seeds, channels, hidden, 3, padding: 1, bias: false));
        conv1 = RegisterModule("conv1", new Conv2dLayer(device, seeds, hidden, channels, 1, bias: false));
    }

    public Tensor Forward(Tensor x) =>
        Elementwise.Add(x, conv1.ForwardRelu(conv3.ForwardRelu(x)));
}
