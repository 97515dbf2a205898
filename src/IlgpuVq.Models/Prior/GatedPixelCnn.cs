using IlgpuVq.Engine.Devices;
using IlgpuVq.Engine.NN;
using IlgpuVq.Engine.Ops;
using IlgpuVq.Engine.Tensors;

namespace IlgpuVq.Models.Prior;

/// <summary>
/// Gated PixelCNN over code maps [B,H,W] (int32) → logits [B,K,H,W]: code embedding, a mask-A 7×7 gated
/// layer, L mask-B 3×3 gated layers, skips summed, then ReLU → 1×1 → ReLU → 1×1 to K logits. Optional
/// class conditioning through a learned per-class gate bias (with <see cref="PixelCnnConfig.LabelDropout"/>, also a null class:
/// the unconditional model of classifier-free guidance).
/// </summary>
public sealed class GatedPixelCnn : Module
{
    readonly Tensor embedding;
    readonly List<GatedLayer> layers = new();
    readonly Conv2dLayer head1, head2;

    public GatedPixelCnn(ComputeDevice device, PixelCnnConfig config, ulong seed)
    {
        config.Validate();
        Config = config;
        var seeds = new SeedSequence(seed);
        embedding = RegisterParameter("embedding.weight", Rng.UniformParameter(device, seeds.Next(), [config.NumCodes, config.Channels], 1f));
        layers.Add(RegisterModule("layers.0", new GatedLayer(device, seeds, config.Channels, config.FirstKernel, first: true, config.ClassBiasRows)));
        for (int i = 1; i <= config.Layers; i++)
            layers.Add(RegisterModule($"layers.{i}", new GatedLayer(device, seeds, config.Channels, config.Kernel, first: false, config.ClassBiasRows)));
        head1 = RegisterModule("head.0", new Conv2dLayer(device, seeds, config.Channels, config.HeadChannels, 1));
        head2 = RegisterModule("head.2", new Conv2dLayer(device, seeds, config.HeadChannels, config.NumCodes, 1));
    }

    public PixelCnnConfig Config { get; }

    /// <summary>The code embedding [K,C], the gated layers (mask-A first) and the head's two 1×1 layers, for the cached sampler.</summary>
    internal Tensor CodeEmbedding => embedding;
    internal IReadOnlyList<GatedLayer> Layers => layers;
    internal (Conv2dLayer Hidden, Conv2dLayer Output) Head => (head1, head2);

    /// <summary>Logits [B,K,H,W] for code maps [B,H,W]; <paramref name="labels"/> [B] (int32) when class-conditional, each a class
    /// or, when <see cref="PixelCnnConfig.HasNullClass"/>, <see cref="PixelCnnConfig.NullClass"/>.</summary>
    public Tensor Forward(Tensor codes, Tensor? labels)
    {
        if (Config.ClassConditional && labels == null) throw new ArgumentException("this prior is class-conditional: labels are required");
        if (!Config.ClassConditional) labels = null;
        var x = Embedding.LookupNchw(embedding, codes);
        return ForwardEmbedded(x, labels);
    }

    /// <summary>Logits from an already embedded input [B,C,H,W] (the causality test differentiates with respect to it).</summary>
    public Tensor ForwardEmbedded(Tensor x, Tensor? labels)
    {
        Tensor v = x, h = x, skipSum = null!;
        foreach (var layer in layers)
        {
            var (nv, nh, s) = layer.Forward(v, h, labels);
            v = nv;
            h = nh;
            skipSum = skipSum == null ? s : Elementwise.Add(skipSum, s);
        }
        return head2.Forward(Elementwise.Relu(head1.Forward(Elementwise.Relu(skipSum))));
    }
}
