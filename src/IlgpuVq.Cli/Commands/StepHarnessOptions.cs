using System.CommandLine;

namespace IlgpuVq.Cli.Commands;

/// <summary>The options of <c>bench step</c> and <c>profile</c>, and the harness they select.</summary>
/// <remarks><c>--batch</c> is a hidden alias of <c>--batch-size</c> (the name every other command uses), kept for one release.</remarks>
public sealed record StepHarnessOptions(Option<string> Device, Option<string> Preset, Option<string> Model, Option<int> BatchSize, Option<int> BatchAlias,
    Option<int> ImageSize, Option<int> Steps)
{
    public static StepHarnessOptions Create()
    {
        var preset = PresetOption.Create(Models.Training.ModelPreset.Benchmark);
        var model = new Option<string>("--model") { Description = "vqvae (the VQ-VAE step) or prior (the Gated PixelCNN step on that preset's code grid)", DefaultValueFactory = _ => "vqvae" };
        model.AcceptOnlyFromAmong("vqvae", "prior");
        var batchSize = new Option<int>("--batch-size") { Description = "images (or code maps) per step", DefaultValueFactory = _ => 32 };
        return new(DeviceOption.Create(), preset, model, batchSize, OldOptionName.Create(batchSize, "--batch"),
            new Option<int>("--image-size") { DefaultValueFactory = _ => 64 },
            new Option<int>("--steps") { Description = "measured steps (after warm-up)", DefaultValueFactory = _ => 10 });
    }

    public void AddTo(Command command)
    {
        foreach (var o in new Option[] { Device, Preset, Model, BatchSize, BatchAlias, ImageSize, Steps }) command.Options.Add(o);
    }

    /// <summary><c>--batch-size</c>, or the hidden <c>--batch</c> where only that is given.</summary>
    int Batch(ParseResult parse) => OldOptionName.Value(parse, BatchSize, BatchAlias);

    public StepHarness Open(ParseResult parse)
    {
        if (parse.GetValue(Steps) < 1) throw new UserError("--steps must be at least 1");
        var device = DeviceOption.Open(parse.GetValue(Device)!);
        // Start from an empty cache: free buffers left by earlier work on this device (in-process callers, the demo's estimate)
        // would otherwise decide which of them the pool's oversize reuse hands out, and so what the first steps allocate.
        device.EmptyCache();
        string preset = parse.GetValue(Preset)!;
        return parse.GetValue(Model) == "prior"
            ? PriorStepHarness.ForPreset(device, preset, Batch(parse), parse.GetValue(ImageSize))
            : VqVaeStepHarness.ForPreset(device, preset, Batch(parse), parse.GetValue(ImageSize));
    }
}
