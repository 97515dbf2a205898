using IlgpuVq.Engine.Devices;
using IlgpuVq.Models.Prior;
using IlgpuVq.Models.VqVae;

namespace IlgpuVq.Cli.Commands;

/// <summary>
/// The Gated PixelCNN prior training task's step (class-conditional, 7 classes) on seeded random code maps of the grid the
/// VQ-VAE of a preset makes from <c>imageSize</c> images: <c>ref</c> uses the default prior (64 channels, 15 gated layers,
/// K = 512), <c>demo</c> the demo's prior, <c>isic</c> the default prior with the isic codebook size.
/// </summary>
public static class PriorStepHarness
{
    /// <summary>The prior step of <paramref name="preset"/> on the code grid its VQ-VAE makes from <paramref name="imageSize"/> images.</summary>
    public static StepHarness ForPreset(ComputeDevice device, string preset, int batch, int imageSize)
    {
        var vq = VqVaeStepHarness.CheckedPreset(preset, batch, imageSize);
        return Create(device, vq, PresetPrior(preset, vq), batch, imageSize);
    }

    /// <summary>The step of a given prior on the code maps of <paramref name="vqvae"/> at <paramref name="imageSize"/> (the demo
    /// times its own plan's prior this way). The VQ-VAE (seeded, untrained) is what the task decodes its figures with.</summary>
    public static StepHarness Create(ComputeDevice device, VqVaeConfig vqvae, PixelCnnConfig config, int batch, int imageSize)
    {
        int grid = imageSize / vqvae.Downsample;
        var rng = new Random(1);
        var codes = Enumerable.Range(0, batch * grid * grid).Select(_ => rng.Next(config.NumCodes)).ToArray();
        var labels = Enumerable.Range(0, batch).Select(_ => rng.Next(Math.Max(1, config.NumClasses))).ToArray();
        var maps = new CodeMaps(codes, labels, grid, grid);
        var vq = new LoadedVqVae(new VqVaeModel(device, vqvae, 1), imageSize, "", new Dictionary<string, string>());
        var settings = new PriorSettings { Model = config, BatchSize = batch, Seed = 1, ClassNames = [.. Enumerable.Range(0, config.NumClasses).Select(c => $"class {c}")] };
        var task = new PriorTrainingTask(device, settings, maps, maps, vq, "");
        var fixedBatch = new CodeBatch(codes, labels, batch, grid, grid);
        return StepHarness.For(device, task, fixedBatch,
            $"PixelCNN prior ({config.Channels} ch, {config.Layers} layers, K={config.NumCodes}) batch {batch}x{grid}x{grid} codes", "code maps",
            new Owned(task, vq));
    }

    /// <summary>The prior of a preset (7 classes): the demo's for <c>demo</c>, else the default prior with the preset's codebook size.</summary>
    internal static PixelCnnConfig PresetPrior(string preset, VqVaeConfig vq)
    {
        var demo = new DemoPlan();
        return preset.ToLowerInvariant() == "demo"
            ? demo.Prior with { NumCodes = demo.VqVae.NumCodes, NumClasses = 7 }
            : new PixelCnnConfig { NumCodes = vq.NumCodes, NumClasses = 7 };
    }

    sealed class Owned(params IDisposable[] items) : IDisposable
    {
        public void Dispose() { foreach (var i in items) i.Dispose(); }
    }
}
