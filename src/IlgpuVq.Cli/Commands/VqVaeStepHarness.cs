using IlgpuVq.Engine.Devices;
using IlgpuVq.Models.Training;
using IlgpuVq.Models.VqVae;

namespace IlgpuVq.Cli.Commands;

/// <summary>The VQ-VAE training task's step on seeded random images, shared by <c>bench step</c>, <c>profile</c> and the demo's estimate.</summary>
public static class VqVaeStepHarness
{
    /// <summary>The step of the VQ-VAE of <paramref name="preset"/>.</summary>
    public static StepHarness ForPreset(ComputeDevice device, string preset, int batch, int imageSize) =>
        Create(device, CheckedPreset(preset, batch, imageSize), batch, imageSize);

    /// <summary>The step of a given architecture (the demo times its own plan's models this way).</summary>
    public static StepHarness Create(ComputeDevice device, VqVaeConfig config, int batch, int imageSize)
    {
        var rng = new Random(1);
        var images = Enumerable.Range(0, batch * 3 * imageSize * imageSize).Select(_ => (float)(rng.NextDouble() * 2 - 1)).ToArray();
        var source = new InMemoryBatches(images, new int[batch], imageSize, batch);
        var fixedBatch = source.Epoch(0, 0).First();
        var task = new VqVaeTrainingTask(device, new VqVaeSettings { Model = config, BatchSize = batch, Seed = 1 }, source, source, fixedBatch);
        return StepHarness.For(device, task, fixedBatch, $"VQ-VAE batch {batch}x3x{imageSize}x{imageSize}", "images", task);
    }

    /// <summary>The VQ-VAE of <paramref name="preset"/>, checked against the image size and the batch (user errors otherwise);
    /// shared with <see cref="PriorStepHarness"/>, whose code grid it defines.</summary>
    internal static VqVaeConfig CheckedPreset(string preset, int batch, int imageSize)
    {
        if (batch < 1) throw new UserError("--batch must be at least 1");
        try
        {
            var config = VqVaeConfig.Preset(preset);
            config.Validate(imageSize);
            return config;
        }
        catch (ArgumentException e) { throw new UserError(e.Message); }
    }
}
