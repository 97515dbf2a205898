using IlgpuVq.Engine.Devices;
using IlgpuVq.Engine.NN;
using IlgpuVq.Engine.Ops;
using IlgpuVq.Engine.Tensors;
using IlgpuVq.Models.VqVae;

namespace IlgpuVq.Models.Classifier;

/// <summary>Penultimate features [N, FeatureDim] (after global average pooling) and class logits [N, K].</summary>
public sealed record ClassifierOutput(Tensor Features, Tensor Logits);

/// <summary>
/// The evaluator network: stem convolution → ReLU → per stage, residual blocks (x + conv1×1(relu(conv3×3(relu(x)))),
/// the VQ-VAE's <see cref="ResidualBlock"/>) and a stride-2 3×3 convolution to twice the channels → ReLU → global
/// average pooling → linear head. Engine ops only (conv, ReLU, add, <see cref="Pooling.GlobalAverage"/>, GEMM, bias);
/// trained with softmax cross-entropy. State-dict names: <c>stem.*</c>, <c>stages.S.blocks.B.*</c>, <c>stages.S.down.*</c>, <c>head.*</c>.
/// </summary>
public sealed class ResidualClassifier : Module
{
    readonly Conv2dLayer stem;
    readonly Stage[] stages;
    readonly LinearLayer head;

    public ResidualClassifier(ComputeDevice device, ClassifierConfig config, ulong seed)
    {
        Config = config;
        Device = device;
        var seeds = new SeedSequence(seed);
        int s = config.StemStride, w = config.Width;
        stem = RegisterModule("stem", s == 1 ? new Conv2dLayer(device, seeds, 3, w, 3, padding: 1) : new Conv2dLayer(device, seeds, 3, w, s, stride: s));
        stages = new Stage[3];
        for (int i = 0; i < 3; i++)
            stages[i] = RegisterModule($"stages.{i}", new Stage(device, seeds, w << i, config.BlocksPerStage, downsample: i < 2));
        head = RegisterModule("head", new LinearLayer(device, seeds, config.FeatureDim, config.NumClasses));
    }

    public ClassifierConfig Config { get; }
    public ComputeDevice Device { get; }

    /// <summary>Images [N,3,S,S] in [−1, 1] → features and logits.</summary>
    public ClassifierOutput Forward(Tensor images)
    {
        var h = Elementwise.Relu(stem.Forward(images));
        foreach (var stage in stages) h = stage.Forward(h);
        var features = Pooling.GlobalAverage(Elementwise.Relu(h));
        return new ClassifierOutput(features, head.Forward(features));
    }

    sealed class Stage : Module
    {
        readonly ResidualBlock[] blocks;
        readonly Conv2dLayer? down;

        public Stage(ComputeDevice device, SeedSequence seeds, int channels, int blockCount, bool downsample)
        {
            blocks = new ResidualBlock[blockCount];
            for (int b = 0; b < blockCount; b++) blocks[b] = RegisterModule($"blocks.{b}", new ResidualBlock(device, seeds, channels, channels));
            if (downsample) down = RegisterModule("down", new Conv2dLayer(device, seeds, channels, 2 * channels, 3, stride: 2, padding: 1));
        }

        public Tensor Forward(Tensor x)
        {
            foreach (var b in blocks) x = b.Forward(x);
            return down == null ? x : down.Forward(Elementwise.Relu(x));
        }
    }
}
