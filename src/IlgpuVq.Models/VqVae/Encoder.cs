using IlgpuVq.Engine.Devices;
using IlgpuVq.Engine.NN;
using IlgpuVq.Engine.Ops;
using IlgpuVq.Engine.Tensors;

namespace IlgpuVq.Models.VqVae;

/// <summary>
/// Image [B,3,S,S] → continuous latents [B,D,S/f,S/f]: stride-2 4×4 convolutions (3→H/2→H, a third H→H for
/// f=8) with ReLU, a 3×3 convolution, the residual stack followed by ReLU, and a 1×1 projection to D.
/// </summary>
public sealed class Encoder : Module
{
    readonly List<Conv2dLayer> down = new();
    readonly Conv2dLayer conv;
    readonly List<ResidualBlock> blocks = new();
    readonly Conv2dLayer project;

    public Encoder(ComputeDevice device, SeedSequence seeds, VqVaeConfig c)
    {
        int inC = 3;
        for (int i = 0; i < c.DownsampleSteps; i++)
        {
            int outC = i == 0 ? c.Hidden / 2 : c.Hidden;
            down.Add(RegisterModule($"down{i + 1}", new Conv2dLayer(device, seeds, inC, outC, 4, stride: 2, padding: 1)));
            inC = outC;
        }
        conv = RegisterModule("conv", new Conv2dLayer(device, seeds, c.Hidden, c.Hidden, 3, padding: 1));
        for (int i = 0; i < c.ResidualBlocks; i++)
            blocks.Add(RegisterModule($"res{i + 1}", new ResidualBlock(device, seeds, c.Hidden, c.ResidualHidden)));
        project = RegisterModule("project", new Conv2dLayer(device, seeds, c.Hidden, c.EmbeddingDim, 1));
    }

    public Tensor Forward(Tensor x)
    {
        // relu after every downsampling layer, fused into the convolution that reads it (ForwardRelu).
        x = down[0].Forward(x);
        for (int i = 1; i < down.Count; i++) x = down[i].ForwardRelu(x);
        x = conv.ForwardRelu(x);
        foreach (var b in blocks) x = b.Forward(x);
        return project.ForwardRelu(x);
    }
}
