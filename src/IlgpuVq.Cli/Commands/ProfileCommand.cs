using System.Diagnostics;
using System.CommandLine;
using IlgpuVq.Engine.Devices;
using Spectre.Console;

namespace IlgpuVq.Cli.Commands;

/// <summary><c>ilgpuvq profile</c>: per-kernel calls, time, share and rate of a VQ-VAE or PixelCNN training step.</summary>
public static class ProfileCommand
{
    public static Command Create()
    {
        var options = StepHarnessOptions.Create();
        var cmd = new Command("profile",
            "Time every kernel of a training step between two backend marks (GPU profiling markers, or the host clock on cpu): implementation, calls/step, ms/step, share, GFLOP/s or GB/s, and steady-state device allocations");
        options.AddTo(cmd);
        var byShape = new Option<bool>("--by-shape") { Description = "one row per kernel and convolution geometry (Cin→Cout, kernel, stride, output size) instead of one per kernel" };
        cmd.Options.Add(byShape);
        cmd.SetAction(parse =>
        {
            using var harness = options.Open(parse);
            int n = parse.GetValue(options.Steps);
            harness.Step(); // warm-up: loads kernels, fills the allocator
            var allocations = harness.Device.Pool.DeviceAllocations;
            var profiler = new KernelProfiler { ByShape = parse.GetValue(byShape) };
            harness.Device.Profiler = profiler;
            var clock = Stopwatch.StartNew();
            try { for (int i = 0; i < n; i++) harness.Step(); }
            finally { harness.Device.Profiler = null; }
            double stepMs = clock.Elapsed.TotalMilliseconds / n;
            var timings = profiler.Timings();
            double total = WriteTable(timings, n, "step");
            double flops = timings.Sum(t => t.Flops) / n;
            Console.WriteLine($"{harness.Describe} on {harness.Device.Name}: kernel time {total / n:0.0} ms/step over {n} steps " +
                              $"({flops / 1e9:0.00} GFLOP/step in compute kernels, {flops / (total / n) / 1e6:0.0} GFLOP/s over all kernel time); " +
                              $"{(harness.Device.Pool.DeviceAllocations - allocations) / (double)n:0.##} device allocations per steady-state step");
            Console.WriteLine($"step wall time {stepMs:0.0} ms/step: {stepMs - total / n:0.0} ms ({100 * (1 - total / n / stepMs):0.0}%) outside the kernels " +
                              "(autograd, allocation, launches and, on a GPU, the host waiting)");
            return 0;
        });
        return cmd;
    }

    /// <summary>The per-kernel table (calls and ms per <paramref name="unit"/> over <paramref name="units"/> of them); returns the total kernel ms.</summary>
    internal static double WriteTable(IReadOnlyList<KernelTiming> timings, int units, string unit)
    {
        double total = timings.Sum(t => t.Milliseconds);
        var table = new Table().AddColumns("kernel", "impl", $"calls/{unit}", $"ms/{unit}", "share", "GFLOP/s", "GB/s");
        foreach (var t in timings)
            table.AddRow(t.Kernel, t.Implementation, $"{t.Calls / (double)units:0.#}", $"{t.Milliseconds / units:0.00}", $"{100 * t.Milliseconds / total:0.0}%",
                t.Gflops is { } g ? $"{g:0.0}" : "", t.GigabytesPerSecond is { } b ? $"{b:0.0}" : "");
        AnsiConsole.Write(table);
        return total;
    }
}
