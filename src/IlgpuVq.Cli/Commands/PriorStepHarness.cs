using IlgpuVq.Engine.Devices;
using IlgpuVq.Models.Prior;
using IlgpuVq.Models.Training;
using IlgpuVq.Models.VqVae;

namespace IlgpuVq.Cli.Commands;

/// <summary>
/// The Gated PixelCNN prior training task's step (class-conditional, 7 classes) of a preset (<see cref="ModelPreset.Prior"/>)
/// on seeded random code maps of the grid the preset's VQ-VAE makes from <c>imageSize</c> images.
/// </summary>
public static class PriorStepHarness
{
    /// <summary>The prior step of <paramref name="preset"/> on the code grid its VQ-VAE makes from <paramref name="imageSize"/> images.</summary>
    public static StepHarness ForPreset(ComputeDevice device, string preset, int batch, int imageSize) =>
        Create(device, VqVaeStepHarness.CheckedPreset(preset, batch, imageSize), batch, imageSize);

    /// <summary>The step of a preset's prior on the code maps of its VQ-VAE at <paramref name="imageSize"/> (the demo times its own
    /// preset this way). The VQ-VAE (seeded, untrained) is what the task would decode its figures with.</summary>
    public static StepHarness Create(ComputeDevice device, ModelPreset preset, int batch, int imageSize)
    {
        var config = PresetPrior(preset);
        int grid = imageSize / preset.VqVae.Downsample;
        var rng = new Random(1);
        var codes = Enumerable.Range(0, batch * grid * grid).Select(_ => rng.Next(config.NumCodes)).ToArray();
        var labels = Enumerable.Range(0, batch).Select(_ => rng.Next(Math.Max(1, config.NumClasses))).ToArray();
        var maps = new CodeMaps(codes, labels, grid, grid);
        var vq = new LoadedVqVae(new VqVaeModel(device, preset.VqVae, 1), imageSize, "", new Dictionary<string, string>());
        var settings = new PriorSettings { Model = config, BatchSize = batch, LearningRate = preset.PriorSchedule.LearningRate, Seed = 1, ClassNames = [.. Enumerable.Range(0, config.NumClasses).Select(c => $"class {c}")] };
        var task = new PriorTrainingTask(device, settings, maps, maps, vq, "");
        var fixedBatch = new CodeBatch(codes, labels, batch, grid, grid);
        return StepHarness.For(device, task, fixedBatch,
            $"PixelCNN prior ({config.Channels} ch, {config.Layers} layers, K={config.NumCodes}) batch {batch}x{grid}x{grid} codes", "code maps",
            new Owned(task, vq));
    }

    /// <summary>The prior of a preset, class-conditional on the 7 HAM10000 classes.</summary>
    internal static PixelCnnConfig PresetPrior(ModelPreset preset) => preset.Prior with { NumCodes = preset.VqVae.NumCodes, NumClasses = 7 };

    sealed class Owned(params IDisposable[] items) : IDisposable
    {
        public void Dispose() { foreach (var i in items) i.Dispose(); }
    }
}
