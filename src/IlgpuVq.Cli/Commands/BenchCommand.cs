using System.CommandLine;
using System.Diagnostics;

namespace IlgpuVq.Cli.Commands;

/// <summary><c>ilgpuvq bench step</c>: median time of a whole training step (forward, backward, AdamW).</summary>
public static class BenchCommand
{
    public static Command Create()
    {
        var options = StepHarnessOptions.Create();
        var step = new Command("step", "Time whole training steps (VQ-VAE or prior) after 2 warm-up steps: median ms/step, items/s, min and max");
        options.AddTo(step);
        step.SetAction(parse =>
        {
            using var harness = options.Open(parse);
            int n = parse.GetValue(options.Steps);
            harness.Step();
            harness.Step();
            var allocations = harness.Device.Pool.DeviceAllocations;
            var times = new List<double>();
            for (int i = 0; i < n; i++)
            {
                var clock = Stopwatch.StartNew();
                harness.Step();
                times.Add(clock.Elapsed.TotalMilliseconds);
            }
            times.Sort();
            double median = times[times.Count / 2];
            Console.WriteLine($"{parse.GetValue(options.Preset)} {harness.Describe} on {harness.Device.Name} ({harness.Device.Backend.Name}): " +
                              $"median {median:0.0} ms/step = {harness.Batch * 1000 / median:0.0} {harness.Unit}/s (min {times[0]:0.0}, max {times[^1]:0.0} ms, {n} steps); " +
                              $"{harness.Device.Pool.DeviceAllocations - allocations} device allocations after warm-up; working set {Environment.WorkingSet / (1 << 20)} MiB, " +
                              $"{Process.GetCurrentProcess().PeakWorkingSet64 / (1 << 20)} MiB peak (process)");
            return 0;
        });
        return new Command("bench", "Benchmarks of whole training steps and of sampling") { step, SampleBench.Create() };
    }
}
