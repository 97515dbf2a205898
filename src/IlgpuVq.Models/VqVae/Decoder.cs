using IlgpuVq.Engine.Devices;
using IlgpuVq.Engine.NN;
using IlgpuVq.Engine.Ops;
using IlgpuVq.Engine.Tensors;

namespace IlgpuVq.Models.VqVae;

/// <summary>
/// Quantized latents [B,D,s,s] → image [B,3,s·f,s·f]: a 3×3 convolution D→H, the residual stack and ReLU,
/// then transposed 4×4 stride-2 convolutions (H→H for f=8, H→H/2, H/2→3) with ReLU between them.
/// </summary>
public sealed class Decoder : Module
{
    readonly Conv2dLayer conv;
    readonly List<ResidualBlock> blocks = new();
    readonly List<ConvTranspose2dLayer> up = new();

    public Decoder(ComputeDevice device, SeedSequence seeds, VqVaeConfig c)
    {
        conv = RegisterModule("conv", new Conv2dLayer(device, seeds, c.EmbeddingDim, c.Hidden, 3, padding: 1));
        for (int i = 0; i < c.ResidualBlocks; i++)
            blocks.Add(RegisterModule($"res{i + 1}", new ResidualBlock(device, seeds, c.Hidden, c.ResidualHidden)));
        int inC = c.Hidden;
        for (int i = 0; i < c.DownsampleSteps; i++)
        {
            int remaining = c.DownsampleSteps - i;
            int outC = remaining == 1 ? 3 : remaining == 2 ? c.Hidden / 2 : c.Hidden;
            up.Add(RegisterModule($"up{i + 1}", new ConvTranspose2dLayer(device, seeds, inC, outC, 4, stride: 2, padding: 1)));
            inC = outC;
        }
    }

    public Tensor Forward(Tensor z)
    {
        var x = conv.Forward(z);
        foreach (var b in blocks) x = b.Forward(x);
        x = Elementwise.Relu(x);
        for (int i = 0; i < up.Count; i++)
        {
            x = up[i].Forward(x);
            if (i < up.Count - 1) x = Elementwise.Relu(x);
        }
        return x;
    }
}
