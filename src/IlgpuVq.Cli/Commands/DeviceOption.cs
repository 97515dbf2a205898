using System.CommandLine;
using IlgpuVq.Engine.Devices;

namespace IlgpuVq.Cli.Commands;

/// <summary>The shared <c>--device</c> option and its resolution into an opened device.</summary>
public static class DeviceOption
{
    public static Option<string> Create() => new("--device")
    {
        Description = "auto | cpu | cpu-sim | cpu-sim:nvidia | cuda[:N] | opencl[:N] (cpu = native SIMD backend; cpu-sim = ILGPU CPU simulator; auto prefers CUDA, then OpenCL, then cpu)",
        DefaultValueFactory = _ => "auto",
    };

    /// <summary>Opens the device; a device this machine lacks is a <see cref="DeviceNotFoundException"/> (a user error) listing what is available.</summary>
    public static ComputeDevice Open(string spec) => DeviceCatalog.Open(spec);
}
