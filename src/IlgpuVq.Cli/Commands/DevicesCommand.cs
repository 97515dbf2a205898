using System.CommandLine;
using IlgpuVq.Engine.Devices;
using Spectre.Console;

namespace IlgpuVq.Cli.Commands;

/// <summary><c>ilgpuvq devices</c>: the accelerators this machine offers.</summary>
public static class DevicesCommand
{
    public static Command Create()
    {
        var cmd = new Command("devices", "List devices with backend, type, memory, warp size and max group size (cpu = native SIMD backend, cpu-sim = ILGPU CPU simulator)");
        cmd.SetAction(_ =>
        {
            var table = new Table().AddColumns("name", "backend", "type", "description", "memory", "warp", "max group");
            foreach (var d in DeviceCatalog.Available())
                table.AddRow(d.Name, d.Backend, d.Type.ToString(), Markup.Escape(d.Description), d.Type == ILGPU.Runtime.AcceleratorType.CPU ? "host RAM" : FormatBytes(d.MemoryBytes), d.WarpSize.ToString(), d.MaxGroupSize.ToString());
            AnsiConsole.Write(table);
            return 0;
        });
        return cmd;
    }

    static string FormatBytes(long bytes) => bytes >= 1L << 30 ? $"{bytes / (double)(1L << 30):0.0} GiB" : $"{bytes / (double)(1L << 20):0} MiB";
}
