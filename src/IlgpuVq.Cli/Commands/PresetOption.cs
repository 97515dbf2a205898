using System.CommandLine;
using IlgpuVq.Models.Training;

namespace IlgpuVq.Cli.Commands;

/// <summary>
/// <c>--preset</c>, the same option wherever a command takes one (<see cref="ModelPreset"/> is what each name means). Its default
/// follows one rule: <see cref="ModelPreset.Default"/> (<c>isic</c>) where a model is trained, <see cref="ModelPreset.Benchmark"/>
/// (<c>ref</c>) where speed is measured (<c>bench step</c>, <c>bench sample</c>, <c>profile</c>).
/// </summary>
public static class PresetOption
{
    public static Option<string> Create(ModelPreset byDefault)
    {
        var preset = new Option<string>("--preset")
        {
            Description = "isic (the source report's model: K=128, D=512, /8), ref (the speed reference: K=512, D=64, /4), demo (the demo's models)",
            DefaultValueFactory = _ => byDefault.Name,
        };
        preset.AcceptOnlyFromAmong(ModelPreset.Names);
        return preset;
    }
}
