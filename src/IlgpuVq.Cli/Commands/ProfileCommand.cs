using System.CommandLine;
using IlgpuVq.Engine.Devices;
using Spectre.Console;

namespace IlgpuVq.Cli.Commands;

/// <summary><c>ilgpuvq profile</c>: per-kernel calls, time and share of a VQ-VAE training step.</summary>
public static class ProfileCommand
{
    public static Command Create()
    {
        var options = VqVaeStepHarness.Options.Create();
        var cmd = new Command("profile", "Time every kernel of a VQ-VAE training step (synchronizing around each launch) and count steady-state allocations");
        options.AddTo(cmd);
        cmd.SetAction(parse =>
        {
            using var harness = options.Open(parse);
            int n = parse.GetValue(options.Steps);
            harness.Step(); // warm-up: loads kernels, fills the allocator
            var allocations = harness.Device.Pool.DeviceAllocations;
            var profiler = new KernelProfiler();
            harness.Device.Profiler = profiler;
            try { for (int i = 0; i < n; i++) harness.Step(); }
            finally { harness.Device.Profiler = null; }
            var timings = profiler.Timings();
            double total = timings.Sum(t => t.Milliseconds);
            var table = new Table().AddColumns("kernel", "calls/step", "ms/step", "share");
            foreach (var t in timings)
                table.AddRow(t.Kernel, $"{t.Calls / (double)n:0.#}", $"{t.Milliseconds / n:0.00}", $"{100 * t.Milliseconds / total:0.0}%");
            AnsiConsole.Write(table);
            Console.WriteLine($"kernel time {total / n:0.0} ms/step over {n} steps on {harness.Device.Name}; " +
                              $"{(harness.Device.Pool.DeviceAllocations - allocations) / (double)n:0.##} device allocations per steady-state step");
            return 0;
        });
        return cmd;
    }
}
