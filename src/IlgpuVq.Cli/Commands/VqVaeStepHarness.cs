using IlgpuVq.Engine.Devices;
using IlgpuVq.Engine.Memory;
using IlgpuVq.Engine.Optim;
using IlgpuVq.Engine.Tensors;
using IlgpuVq.Models.VqVae;

namespace IlgpuVq.Cli.Commands;

/// <summary>A VQ-VAE training step on seeded random images, shared by <c>bench step</c> and <c>profile</c>.</summary>
public sealed class VqVaeStepHarness : IStepHarness
{
    readonly float[] images;
    readonly VqVaeModel model;
    readonly AdamW optimizer;

    public VqVaeStepHarness(ComputeDevice device, string preset, int batch, int imageSize)
        : this(device, CheckedPreset(preset, batch, imageSize), batch, imageSize) { }

    /// <summary>The step of a given architecture (the demo times its own plan's models this way).</summary>
    public VqVaeStepHarness(ComputeDevice device, VqVaeConfig config, int batch, int imageSize)
    {
        Device = device;
        Batch = batch;
        ImageSize = imageSize;
        var rng = new Random(1);
        images = Enumerable.Range(0, batch * 3 * imageSize * imageSize).Select(_ => (float)(rng.NextDouble() * 2 - 1)).ToArray();
        model = new VqVaeModel(device, config, 1);
        optimizer = new AdamW(model.Parameters());
    }

    /// <summary>The VQ-VAE of <paramref name="preset"/>, checked against the image size and the batch (user errors otherwise);
    /// shared with <see cref="PriorStepHarness"/>, whose code grid it defines.</summary>
    internal static VqVaeConfig CheckedPreset(string preset, int batch, int imageSize)
    {
        if (batch < 1) throw new UserError("--batch-size must be at least 1");
        var config = UserError.Check(() => VqVaeConfig.Preset(preset));
        UserError.Check(() => config.Validate(imageSize));
        return config;
    }

    public ComputeDevice Device { get; }
    public int Batch { get; }
    public int ImageSize { get; }
    public string Describe => $"VQ-VAE batch {Batch}x3x{ImageSize}x{ImageSize}";

    /// <summary>Forward, backward and AdamW on one batch; waits for the device at the end.</summary>
    public void Step()
    {
        using (new TensorScope())
        {
            var x = Tensor.FromArray(Device, images, Batch, 3, ImageSize, ImageSize);
            model.Forward(x).Loss.Backward();
            optimizer.Step();
            optimizer.ZeroGrad();
        }
        Device.Synchronize();
    }

    public void Dispose()
    {
        optimizer.Dispose();
        model.Dispose();
    }
}
