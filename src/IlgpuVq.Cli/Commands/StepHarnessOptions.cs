using System.CommandLine;

namespace IlgpuVq.Cli.Commands;

/// <summary>The options of <c>bench step</c> and <c>profile</c>, and the harness they select.</summary>
public sealed record StepHarnessOptions(Option<string> Device, Option<string> Preset, Option<string> Model, Option<int> Batch, Option<int> ImageSize,
    Option<int> Steps)
{
    public static StepHarnessOptions Create() => new(
        DeviceOption.Create(),
        new Option<string>("--preset") { Description = "model preset: ref, demo, isic", DefaultValueFactory = _ => "ref" },
        new Option<string>("--model") { Description = "vqvae (the VQ-VAE step) or prior (the Gated PixelCNN step on that preset's code grid)", DefaultValueFactory = _ => "vqvae" },
        new Option<int>("--batch") { DefaultValueFactory = _ => 32 },
        new Option<int>("--image-size") { DefaultValueFactory = _ => 64 },
        new Option<int>("--steps") { Description = "measured steps (after warm-up)", DefaultValueFactory = _ => 10 });

    public void AddTo(Command command)
    {
        foreach (var o in new Option[] { Device, Preset, Model, Batch, ImageSize, Steps }) command.Options.Add(o);
    }

    public IStepHarness Open(ParseResult parse)
    {
        if (parse.GetValue(Steps) < 1) throw new UserError("--steps must be at least 1");
        var device = DeviceOption.Open(parse.GetValue(Device)!);
        string preset = parse.GetValue(Preset)!;
        return parse.GetValue(Model)!.ToLowerInvariant() switch
        {
            "vqvae" => new VqVaeStepHarness(device, preset, parse.GetValue(Batch), parse.GetValue(ImageSize)),
            "prior" => new PriorStepHarness(device, preset, parse.GetValue(Batch), parse.GetValue(ImageSize)),
            var m => throw new UserError($"--model must be vqvae or prior, got '{m}'"),
        };
    }
}
