using System.CommandLine;
using IlgpuVq.Engine.Devices;
using IlgpuVq.Engine.Memory;
using IlgpuVq.Engine.Optim;
using IlgpuVq.Engine.Tensors;
using IlgpuVq.Models.VqVae;

namespace IlgpuVq.Cli.Commands;

/// <summary>A VQ-VAE training step on seeded random images, shared by <c>bench step</c> and <c>profile</c>.</summary>
public sealed class VqVaeStepHarness : IDisposable
{
    readonly float[] images;
    readonly VqVaeModel model;
    readonly AdamW optimizer;

    public VqVaeStepHarness(ComputeDevice device, string preset, int batch, int imageSize)
    {
        VqVaeConfig config;
        try { config = VqVaeConfig.Preset(preset); config.Validate(imageSize); }
        catch (ArgumentException e) { throw new UserError(e.Message); }
        if (batch < 1) throw new UserError("--batch must be at least 1");
        Device = device;
        Batch = batch;
        ImageSize = imageSize;
        var rng = new Random(1);
        images = Enumerable.Range(0, batch * 3 * imageSize * imageSize).Select(_ => (float)(rng.NextDouble() * 2 - 1)).ToArray();
        model = new VqVaeModel(device, config, 1);
        optimizer = new AdamW(model.Parameters());
    }

    public ComputeDevice Device { get; }
    public int Batch { get; }
    public int ImageSize { get; }

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

    /// <summary>The options every step command takes.</summary>
    public sealed record Options(Option<string> Device, Option<string> Preset, Option<int> Batch, Option<int> ImageSize, Option<int> Steps)
    {
        public static Options Create(string defaultPreset = "ref") => new(
            DeviceOption.Create(),
            new Option<string>("--preset") { Description = "model preset: ref, demo, isic", DefaultValueFactory = _ => defaultPreset },
            new Option<int>("--batch") { DefaultValueFactory = _ => 32 },
            new Option<int>("--image-size") { DefaultValueFactory = _ => 64 },
            new Option<int>("--steps") { Description = "measured steps (after warm-up)", DefaultValueFactory = _ => 10 });

        public void AddTo(Command command)
        {
            command.Options.Add(Device); command.Options.Add(Preset); command.Options.Add(Batch); command.Options.Add(ImageSize); command.Options.Add(Steps);
        }

        public VqVaeStepHarness Open(ParseResult parse)
        {
            if (parse.GetValue(Steps) < 1) throw new UserError("--steps must be at least 1");
            return new VqVaeStepHarness(DeviceOption.Open(parse.GetValue(Device)!), parse.GetValue(Preset)!, parse.GetValue(Batch), parse.GetValue(ImageSize));
        }
    }
}
