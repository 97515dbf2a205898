using System.CommandLine;
using System.Diagnostics;

namespace IlgpuVq.Cli.Commands;

/// <summary><c>ilgpuvq bench step</c>: median time of a whole VQ-VAE training step (forward, backward, AdamW).</summary>
public static class BenchCommand
{
    public static Command Create()
    {
        var options = VqVaeStepHarness.Options.Create();
        var step = new Command("step", "Time whole VQ-VAE training steps after 2 warm-up steps: median ms/step, images/s, min and max");
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
            Console.WriteLine($"{parse.GetValue(options.Preset)} batch {harness.Batch}x3x{harness.ImageSize}x{harness.ImageSize} on {harness.Device.Name}: " +
                              $"median {median:0.0} ms/step = {harness.Batch * 1000 / median:0.0} images/s (min {times[0]:0.0}, max {times[^1]:0.0} ms, {n} steps); " +
                              $"{harness.Device.Pool.DeviceAllocations - allocations} device allocations after warm-up");
            return 0;
        });
        return new Command("bench", "Benchmarks of whole training steps") { step };
    }
}
