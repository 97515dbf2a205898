using System.CommandLine;
using System.Diagnostics;
using IlgpuVq.Engine.Devices;
using IlgpuVq.Engine.Memory;
using IlgpuVq.Models.Prior;
using IlgpuVq.Models.Training;

namespace IlgpuVq.Cli.Commands;

/// <summary>
/// <c>ilgpuvq bench sample</c>: code-map sampling speed of a preset's prior (seeded weights, 7 classes; see
/// <see cref="PriorStepHarness.PresetPrior"/>) with the cached and/or the naive sampler on the same model and seed: positions/s
/// (all samples' code positions per second), images/s and the speed-up. The naive sampler stops after the rows that fit in
/// <see cref="NaiveBudgetSeconds"/> and is extrapolated to the whole grid (the output says so).
/// </summary>
public static class SampleBench
{
    /// <summary>Longest naive run before it is stopped and extrapolated.</summary>
    public const double NaiveBudgetSeconds = 60;

    public static Command Create()
    {
        var preset = PresetOption.Create(ModelPreset.Benchmark);
        var count = new Option<int>("--count") { Description = "samples drawn in one batch", DefaultValueFactory = _ => 64 };
        var grid = new Option<int?>("--grid") { Description = "code grid side H (H×H); default 16 for demo and ref, 32 for isic" };
        var sampler = new Option<string?>("--sampler") { Description = "naive or cached; default: both, with the speed-up" };
        sampler.AcceptOnlyFromAmong(PriorSamplers.Names);
        var profile = new Option<bool>("--profile") { Description = "also print the cached sampler's per-kernel time table" };
        var seed = SeedOption.Create("the samples (the prior's weights are seeded apart)");
        var device = DeviceOption.Create();
        var cmd = new Command("sample", $"Time sampling of code maps: cached vs naive sampler on the same prior and seed (naive extrapolated past {NaiveBudgetSeconds:0} s)")
            { preset, count, grid, sampler, profile, seed, device };
        cmd.SetAction(parse =>
        {
            string name = parse.GetValue(preset)!;
            int n = parse.GetValue(count);
            if (n < 1) throw new UserError($"--count must be at least 1 (got {n})");
            var named = UserError.Check(() => ModelPreset.Named(name));
            int side = parse.GetValue(grid) ?? (name.Equals("isic", StringComparison.OrdinalIgnoreCase) ? 32 : 16);
            if (side < 1) throw new UserError($"--grid must be at least 1 (got {side})");
            PriorSampler[] samplers = parse.GetValue(sampler) is { } s ? [PriorSamplers.Parse(s)] : [PriorSampler.Cached, PriorSampler.Naive];
            var dev = DeviceOption.Open(parse.GetValue(device)!);
            var config = PriorStepHarness.PresetPrior(named);
            using var prior = new GatedPixelCnn(dev, config, 1);
            var classes = Enumerable.Range(0, n).Select(i => i % config.NumClasses).ToArray();
            Console.WriteLine($"{name} prior ({config.Channels} ch, {config.Layers + 1} gated layers, head {config.HeadChannels}, K={config.NumCodes}): " +
                              $"{n} samples of {side}x{side} codes on {dev.Name} ({dev.Backend.Name})");
            var results = new Dictionary<PriorSampler, (double Seconds, int[]? Codes, string Note)>();
            foreach (var kind in samplers)
            {
                var run = Measure(prior, dev, classes, side, SeedOption.Stream(parse.GetValue(seed)), kind, kind == PriorSampler.Cached && parse.GetValue(profile));
                results[kind] = run;
                double positions = (double)n * side * side;
                Console.WriteLine($"{kind.Name(),-6}: {run.Seconds:0.000} s = {positions / run.Seconds:0} positions/s = {n / run.Seconds:0.00} images/s" +
                                  (run.Codes == null ? $" (extrapolated: {run.Note})" : ""));
            }
            if (results.Count == 2)
            {
                var (cached, naive) = (results[PriorSampler.Cached], results[PriorSampler.Naive]);
                string same = naive.Codes == null ? "naive extrapolated, codes not compared" : cached.Codes!.SequenceEqual(naive.Codes) ? "identical codes" : "CODES DIFFER";
                Console.WriteLine($"speed-up of cached over naive: {naive.Seconds / cached.Seconds:0.0}x ({same})");
            }
            return 0;
        });
        return cmd;
    }

    /// <summary>Seconds for the whole grid (extrapolated from the completed rows when the naive budget runs out; codes null then).</summary>
    static (double Seconds, int[]? Codes, string Note) Measure(GatedPixelCnn prior, ComputeDevice device, int[] classes, int side, ulong seed,
        PriorSampler kind, bool profile)
    {
        using var scope = new TensorScope();
        // Warm-up of the cached sampler: one row loads its kernels and fills the allocator (the naive sampler's first position
        // does the same within its first row, a small part of it).
        if (kind == PriorSampler.Cached)
        {
            PriorSampling.SampleCodes(prior, classes.Length, classes, side, side, 1f, seed, kind, _ => false);
            device.Synchronize();
        }
        var profiler = profile ? new KernelProfiler() : null;
        device.Profiler = profiler;
        int rowsDone = 0;
        var cpuStart = Process.GetCurrentProcess().TotalProcessorTime;
        var clock = Stopwatch.StartNew();
        int[] codes;
        try
        {
            codes = PriorSampling.SampleCodes(prior, classes.Length, classes, side, side, 1f, seed, kind, rows =>
            {
                device.Synchronize();
                rowsDone = rows;
                return kind == PriorSampler.Cached || clock.Elapsed.TotalSeconds / rows * (rows + 1) <= NaiveBudgetSeconds;
            }).ToIntArray();
        }
        finally { device.Profiler = null; }
        double seconds = clock.Elapsed.TotalSeconds;
        double cpu = (Process.GetCurrentProcess().TotalProcessorTime - cpuStart).TotalSeconds;
        Console.WriteLine($"{kind.Name(),-6}: {seconds:0.000} s wall, {cpu:0.000} s process CPU time ({rowsDone} rows)");
        if (profiler != null) PrintProfile(profiler, seconds);
        if (rowsDone == side) return (seconds, codes, "");
        return (seconds / rowsDone * side, null, $"{rowsDone} of {side} rows in {seconds:0.0} s");
    }

    static void PrintProfile(KernelProfiler profiler, double seconds)
    {
        double total = ProfileCommand.WriteTable(profiler.Timings(), 1, "run");
        Console.WriteLine($"kernel time {total / 1000:0.000} s of {seconds:0.000} s wall (the rest: launches, host loop, profiling)");
    }
}
