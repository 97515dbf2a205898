using System.CommandLine;
using System.Text.RegularExpressions;
using IlgpuVq.Engine.Devices;

namespace IlgpuVq.Cli.Commands;

/// <summary>
/// The shared <c>--device</c> option and its resolution into an opened device. The parser checks the kind (a typo is its
/// error, listing the kinds); whether this machine has the device is <see cref="DeviceCatalog.Open"/>'s
/// <see cref="DeviceNotFoundException"/>, which lists the devices it does have.
/// </summary>
public static partial class DeviceOption
{
    /// <summary>The kinds <c>--device</c> takes (N: the index of a CUDA or OpenCL device, as <c>ilgpuvq devices</c> lists them).</summary>
    public const string Kinds = "auto|cpu|cpu-sim|cpu-sim:nvidia|cuda[:N]|opencl[:N]";

    /// <summary>The values offered for completion: every kind without an index.</summary>
    static readonly string[] Completions = ["auto", "cpu", "cpu-sim", "cpu-sim:nvidia", "cuda", "opencl"];

    public static Option<string> Create()
    {
        var option = new Option<string>("--device")
        {
            Description = "where to run: cpu = native SIMD backend, cpu-sim = ILGPU CPU simulator, cuda/opencl = a GPU (N: its index in `ilgpuvq devices`), auto = CUDA, else OpenCL, else cpu",
            DefaultValueFactory = _ => "auto",
            HelpName = Kinds,
        };
        option.CompletionSources.Add(Completions);
        option.Validators.Add(result =>
        {
            var value = result.GetValueOrDefault<string>();
            if (!IsKind(value)) result.AddError($"Argument '{value}' not recognized for --device: it takes {Kinds} (ilgpuvq devices lists this machine's).");
        });
        return option;
    }

    /// <summary>True when <paramref name="value"/> names a device kind (available or not); <c>cpu:nvidia</c> is the old name of <c>cpu-sim:nvidia</c>.</summary>
    public static bool IsKind(string? value) => value != null && KindPattern().IsMatch(value.Trim());

    [GeneratedRegex(@"^(auto|cpu|cpu-sim|cpu-sim:nvidia|cpu:nvidia|cuda(:\d+)?|opencl(:\d+)?)$", RegexOptions.IgnoreCase)]
    private static partial Regex KindPattern();

    /// <summary>Opens the device; a device this machine lacks is a <see cref="DeviceNotFoundException"/> (a user error) listing what is available.</summary>
    public static ComputeDevice Open(string spec) => DeviceCatalog.Open(spec);
}
