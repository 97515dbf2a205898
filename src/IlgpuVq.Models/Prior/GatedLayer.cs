using IlgpuVq.Engine.Devices;
using IlgpuVq.Engine.NN;
using IlgpuVq.Engine.Ops;
using IlgpuVq.Engine.Tensors;

namespace IlgpuVq.Models.Prior;

/// <summary>
/// One layer of the two-stack Gated PixelCNN (van den Oord et al. 2016), with no blind spot:
/// <list type="bullet">
/// <item>vertical stack: a (k/2+1)×k convolution padded so output row i sees input rows i−k/2 … i; its
/// result reaches the horizontal stack only after a down-shift by one row (rows &lt; i);</item>
/// <item>horizontal stack: a 1×(k/2+1) convolution over columns j−k/2 … j of row i; in the first layer
/// (mask A) the centre column is masked out so position (i,j) never sees itself;</item>
/// <item>gates tanh(a)·sigmoid(b) over the two channel halves, a per-class bias [2C] inside both gates,
/// a 1×1 residual in the horizontal stack (not in the first layer, whose input contains the pixel itself)
/// and a 1×1 skip output.</item>
/// </list>
/// </summary>
public sealed class GatedLayer : Module
{
    readonly int channels;
    readonly bool first;
    readonly Conv2dLayer vertical, horizontal, verticalToHorizontal, residual, skip;
    readonly Tensor? horizontalMask;
    readonly Tensor? classBiasV, classBiasH;

    public GatedLayer(ComputeDevice device, SeedSequence seeds, int channels, int kernel, bool first, int classBiasRows)
    {
        this.channels = channels;
        this.first = first;
        int half = kernel / 2;
        vertical = RegisterModule("v_conv", new Conv2dLayer(device, seeds, channels, 2 * channels, half + 1, kernel, 1, new Padding2d(half, 0, half, half)));
        horizontal = RegisterModule("h_conv", new Conv2dLayer(device, seeds, channels, 2 * channels, 1, half + 1, 1, new Padding2d(0, 0, half, 0)));
        verticalToHorizontal = RegisterModule("v_to_h", new Conv2dLayer(device, seeds, 2 * channels, 2 * channels, 1));
        residual = RegisterModule("h_residual", new Conv2dLayer(device, seeds, channels, channels, 1));
        skip = RegisterModule("skip", new Conv2dLayer(device, seeds, channels, channels, 1));
        if (first)
        {
            horizontalMask = RegisterBuffer("h_mask", Tensor.Persistent(device, DType.Float32, 2 * channels, channels, 1, half + 1));
            using (new Engine.Memory.TensorScope())
                horizontalMask.CopyFrom(MaskedConv2d.BuildMask(device, MaskKind.Horizontal, MaskType.A, 1, half + 1, 2 * channels, channels));
        }
        if (classBiasRows > 0)
        {
            classBiasV = RegisterParameter("class_bias_v", Rng.UniformParameter(device, seeds.Next(), [classBiasRows, 2 * channels], 0f));
            classBiasH = RegisterParameter("class_bias_h", Rng.UniformParameter(device, seeds.Next(), [classBiasRows, 2 * channels], 0f));
        }
    }

    /// <summary>The weights as the cached sampler's step kernels take them (<see cref="PixelCnnStep"/>).</summary>
    internal GatedLayerWeights StepWeights => new(vertical.Weight, vertical.Bias!, verticalToHorizontal.Weight, verticalToHorizontal.Bias!,
        horizontal.Weight, horizontal.Bias!, residual.Weight, residual.Bias!, skip.Weight, skip.Bias!, first);

    /// <summary>The per-class gate biases [classes (+ the null class), 2C] of the vertical and horizontal stacks (null when unconditional).</summary>
    internal (Tensor? Vertical, Tensor? Horizontal) ClassBiases => (classBiasV, classBiasH);

    /// <summary>Returns the next (vertical, horizontal) inputs and this layer's skip contribution.</summary>
    public (Tensor V, Tensor H, Tensor Skip) Forward(Tensor v, Tensor h, Tensor? labels)
    {
        var vPre = vertical.Forward(v);
        var hConv = horizontalMask == null
            ? horizontal.Forward(h)
            : MaskedConv2d.Apply(h, horizontal.Weight, horizontalMask, horizontal.Bias, horizontal.Padding);
        var hPre = Elementwise.Add(hConv, verticalToHorizontal.Forward(Shift.Down(vPre, 1)));
        if (labels != null)
        {
            vPre = BatchBias.Add(vPre, Embedding.Lookup(classBiasV!, labels));
            hPre = BatchBias.Add(hPre, Embedding.Lookup(classBiasH!, labels));
        }
        var vOut = Elementwise.GatedActivation(vPre);
        var hGated = Elementwise.GatedActivation(hPre);
        var hOut = first ? residual.Forward(hGated) : Elementwise.Add(h, residual.Forward(hGated));
        return (vOut, hOut, skip.Forward(hGated));
    }
}
