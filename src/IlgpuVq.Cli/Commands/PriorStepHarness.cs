using IlgpuVq.Engine.Devices;
using IlgpuVq.Engine.Memory;
using IlgpuVq.Engine.Ops;
using IlgpuVq.Engine.Optim;
using IlgpuVq.Engine.Tensors;
using IlgpuVq.Models.Prior;
using IlgpuVq.Models.VqVae;

namespace IlgpuVq.Cli.Commands;

/// <summary>
/// A Gated PixelCNN prior training step (class-conditional, 7 classes) on seeded random code maps of the grid the VQ-VAE
/// <paramref name="preset"/> makes from <paramref name="imageSize"/> images: <c>ref</c> uses the default prior (64 channels,
/// 15 gated layers, K = 512), <c>demo</c> the demo's prior, <c>isic</c> the default prior with the isic codebook size.
/// </summary>
public sealed class PriorStepHarness : IStepHarness
{
    readonly int[] codes, labels;
    readonly GatedPixelCnn prior;
    readonly AdamW optimizer;

    /// <summary>The prior step of <paramref name="preset"/> on the code grid its VQ-VAE makes from <paramref name="imageSize"/> images.</summary>
    public static PriorStepHarness ForPreset(ComputeDevice device, string preset, int batch, int imageSize)
    {
        var vq = VqVaeStepHarness.CheckedPreset(preset, batch, imageSize);
        return new PriorStepHarness(device, PresetPrior(preset, vq), batch, imageSize / vq.Downsample);
    }

    /// <summary>The step of a given prior on a <paramref name="grid"/>×<paramref name="grid"/> code map (the demo times its own plan's prior this way).</summary>
    public PriorStepHarness(ComputeDevice device, PixelCnnConfig config, int batch, int grid)
    {
        Device = device;
        Batch = batch;
        Grid = grid;
        var rng = new Random(1);
        codes = Enumerable.Range(0, batch * Grid * Grid).Select(_ => rng.Next(config.NumCodes)).ToArray();
        labels = Enumerable.Range(0, batch).Select(_ => rng.Next(Math.Max(1, config.NumClasses))).ToArray();
        prior = new GatedPixelCnn(device, config, 1);
        optimizer = new AdamW(prior.Parameters());
        Describe = $"PixelCNN prior ({config.Channels} ch, {config.Layers} layers, K={config.NumCodes}) batch {batch}x{Grid}x{Grid} codes";
    }

    /// <summary>The prior of a preset (7 classes): the demo's for <c>demo</c>, else the default prior with the preset's codebook size.</summary>
    internal static PixelCnnConfig PresetPrior(string preset, VqVaeConfig vq)
    {
        var demo = new DemoPlan();
        return preset.ToLowerInvariant() == "demo"
            ? demo.Prior with { NumCodes = demo.VqVae.NumCodes, NumClasses = 7 }
            : new PixelCnnConfig { NumCodes = vq.NumCodes, NumClasses = 7 };
    }

    public ComputeDevice Device { get; }
    public int Batch { get; }
    public int Grid { get; }
    public string Describe { get; }

    public void Step()
    {
        using (new TensorScope())
        {
            var c = Tensor.FromIntArray(Device, codes, Batch, Grid, Grid);
            var l = Tensor.FromIntArray(Device, labels, Batch);
            CrossEntropy.Mean(prior.Forward(c, l), c).Backward();
            optimizer.Step();
            optimizer.ZeroGrad();
        }
        Device.Synchronize();
    }

    public void Dispose()
    {
        optimizer.Dispose();
        prior.Dispose();
    }
}
