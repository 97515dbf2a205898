using IlgpuVq.Engine.Devices;
using IlgpuVq.Models.Training;
using IlgpuVq.Models.VqVae;

namespace IlgpuVq.Cli.Commands;

/// <summary>The VQ-VAE training task's step on seeded random images, shared by <c>bench step</c>, <c>profile</c> and the demo's estimate.</summary>
public static class VqVaeStepHarness
{
    /// <summary>The step of the VQ-VAE of <paramref name="preset"/> at its schedule's learning rate.</summary>
    public static StepHarness ForPreset(ComputeDevice device, string preset, int batch, int imageSize) =>
        Create(device, CheckedPreset(preset, batch, imageSize), batch, imageSize);

    /// <summary>The step of a preset's VQ-VAE (the demo times its own preset this way).</summary>
    public static StepHarness Create(ComputeDevice device, ModelPreset preset, int batch, int imageSize)
    {
        var rng = new Random(1);
        var images = Enumerable.Range(0, batch * 3 * imageSize * imageSize).Select(_ => (float)(rng.NextDouble() * 2 - 1)).ToArray();
        var source = new InMemoryBatches(images, new int[batch], imageSize, batch);
        var fixedBatch = source.Epoch(0, 0).First();
        var settings = new VqVaeSettings { Preset = preset.Name, Model = preset.VqVae, BatchSize = batch, LearningRate = preset.VqVaeSchedule.LearningRate, Seed = 1 };
        var task = new VqVaeTrainingTask(device, settings, source, source, fixedBatch);
        return StepHarness.For(device, task, fixedBatch, $"VQ-VAE batch {batch}x3x{imageSize}x{imageSize}", "images", task);
    }

    /// <summary>The preset called <paramref name="preset"/>, its VQ-VAE checked against the image size and the batch (user errors
    /// otherwise); shared with <see cref="PriorStepHarness"/>, whose code grid that VQ-VAE defines.</summary>
    internal static ModelPreset CheckedPreset(string preset, int batch, int imageSize)
    {
        if (batch < 1) throw new UserError("--batch-size must be at least 1");
        var named = UserError.Check(() => ModelPreset.Named(preset));
        UserError.Check(() => named.VqVae.Validate(imageSize));
        return named;
    }
}
