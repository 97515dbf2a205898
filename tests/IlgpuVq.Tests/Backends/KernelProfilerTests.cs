using IlgpuVq.Cli;
using IlgpuVq.Engine.Devices;
using IlgpuVq.Engine.Memory;
using IlgpuVq.Engine.Ops;
using IlgpuVq.Engine.Tensors;

namespace IlgpuVq.Tests.Backends;

/// <summary>A profiler is attached to a whole (shared) device, so its tests run alone, after the parallel ones.</summary>
[CollectionDefinition(nameof(ProfilerCollection), DisableParallelization = true)]
public sealed class ProfilerCollection;

/// <summary>The per-kernel profiler (marks of each backend, flop and byte counts) and the step commands built on it.</summary>
[Collection(nameof(ProfilerCollection))]
public class KernelProfilerTests
{
    [Theory]
    [MemberData(nameof(TestDevices.All), MemberType = typeof(TestDevices))]
    public void CountsCallsFlopsAndBytesPerKernel(string name)
    {
        var device = TestDevices.Get(name);
        var profiler = new KernelProfiler();
        {
            using var scope = new TensorScope();
            var x = Tensor.FromArray(device, new float[2 * 3 * 9 * 7], 2, 3, 9, 7);
            var w = Tensor.FromArray(device, new float[5 * 3 * 3 * 3], 5, 3, 3, 3);
            device.Profiler = profiler;
            try
            {
                var y = Conv2d.Apply(x, w, null, 2, 1);
                Elementwise.Relu(Elementwise.Relu(y));
                ConvTranspose2d.Apply(y, w, null, 2, 1); // [2,5,5,4] → [2,3,9,7]: Conv2d's input-gradient kernel, its own row
                Gemm.Apply(Tensor.FromArray(device, new float[7 * 5], 7, 5), Tensor.FromArray(device, new float[5 * 3], 5, 3));
                Codebook.Nearest(Tensor.FromArray(device, new float[6 * 4], 6, 4), Tensor.FromArray(device, new float[9 * 4], 9, 4));
            }
            finally { device.Profiler = null; }
        }
        var timings = profiler.Timings().ToDictionary(t => t.Kernel);
        var conv = timings["Conv2dKernels.Forward"];
        Assert.Equal(1, conv.Calls);
        Assert.Equal(2.0 * 2 * 5 * 5 * 4 * 3 * 3 * 3, conv.Flops); // N·Cout·OH·OW·Cin·KH·KW with OH = 5, OW = 4
        var transposed = timings["Conv2dKernels.InputGrad (conv_transpose2d)"];
        Assert.Equal(1, transposed.Calls);
        Assert.Equal(conv.Flops, transposed.Flops); // the adjoint does the same multiply-adds
        Assert.False(timings.ContainsKey("Conv2dKernels.InputGrad")); // no plain Conv2d input gradient ran
        var gemm = Assert.Single(timings.Values, t => t.Kernel.StartsWith("GemmKernels."));
        Assert.Equal(2.0 * 7 * 3 * 5, gemm.Flops); // 2·M·N·K
        Assert.Equal(3.0 * 6 * 9 * 4, timings["CodebookKernels.NearestCode"].Flops); // 3·rows·K·D
        Assert.Equal(2, timings["ElementwiseKernels.Relu"].Calls);
        Assert.Equal(2 * 2 * (2 * 5 * 5 * 4) * 4.0, timings["ElementwiseKernels.Relu"].Bytes); // two calls, input + output views
        Assert.Equal(0, timings["ElementwiseKernels.Relu"].Flops);
        Assert.All(timings.Values, t => Assert.True(t.Milliseconds >= 0 && double.IsFinite(t.Milliseconds)));
        Assert.All(timings.Values, t => Assert.Contains(t.Implementation, device.IsNative ? new[] { "native", "host" } : new[] { "ilgpu" }));
    }

    /// <summary>With <see cref="KernelProfiler.ByShape"/> a convolution kernel has one row per geometry (Cin→Cout, kernel, stride,
    /// output size), each with its own calls and flops; kernels without a geometry keep their one row.</summary>
    [Fact]
    public void ByShapeKeepsConvolutionGeometriesApart()
    {
        var device = TestDevices.Get("cpu");
        var profiler = new KernelProfiler { ByShape = true };
        {
            using var scope = new TensorScope();
            var x = Tensor.FromArray(device, new float[2 * 3 * 9 * 7], 2, 3, 9, 7);
            var w = Tensor.FromArray(device, new float[5 * 3 * 3 * 3], 5, 3, 3, 3);
            var w1 = Tensor.FromArray(device, new float[4 * 5], 4, 5, 1, 1);
            device.Profiler = profiler;
            try
            {
                var y = Conv2d.Apply(x, w, null, 2, 1); // [2,5,5,4]
                Conv2d.Apply(Conv2d.Apply(x, w, null, 1, 1), w1, null, 1, 0); // 3→5 3×3 stride 1 at 9×7, then 5→4 1×1
                Conv2d.Apply(y, w1, null, 1, 0);
                Elementwise.Relu(y);
            }
            finally { device.Profiler = null; }
        }
        var timings = profiler.Timings().ToDictionary(t => t.Kernel);
        Assert.Equal(2.0 * 2 * 5 * 5 * 4 * 3 * 9, timings["Conv2dKernels.Forward 3→5 3×3 s2 5×4"].Flops);
        Assert.Equal(1, timings["Conv2dKernels.Forward 3→5 3×3 s1 9×7"].Calls);
        Assert.Equal(2.0 * 2 * 4 * 5 * 4 * 5, timings["Conv2dKernels.Forward 5→4 1×1 s1 5×4"].Flops);
        Assert.Equal(1, timings["Conv2dKernels.Forward 5→4 1×1 s1 9×7"].Calls);
        Assert.Equal(1, timings["ElementwiseKernels.Relu"].Calls);
        Assert.Equal(5, timings.Count);
    }

    /// <summary>A cost names the kernel's parameters: one that the kernel lacks fails when the slot is declared, not as a
    /// missing GFLOP/s column later.</summary>
    [Fact]
    public void CostOfAMissingParameterFailsAtDeclaration()
    {
        static KernelSlot<T> Like<T>(KernelSlot<T> _, T kernel, KernelCost cost) where T : Delegate => new(kernel, cost);
        var error = Assert.Throws<ArgumentException>(() => Like(Gemm.TiledKernel, IlgpuVq.Kernels.GemmKernels.Tiled, KernelCost.Product(2, "rows", "n", "k")));
        Assert.Contains("GemmKernels.Tiled", error.Message);
        Assert.Contains("rows", error.Message);
        Assert.Throws<ArgumentException>(() => Like(Gemm.TiledKernel, IlgpuVq.Kernels.GemmKernels.Tiled, KernelCost.Of<IlgpuVq.Kernels.Conv2dGeometry>(g => g.N)));
        Assert.NotNull(Like(Gemm.TiledKernel, IlgpuVq.Kernels.GemmKernels.Tiled, KernelCost.Product(2, "m", "n", "k")).Flops);
    }

    /// <summary>What <c>ilgpuvq</c> writes to standard output (plain text and Spectre tables, 200 columns wide) for <paramref name="args"/>, and its exit code.</summary>
    static (int Exit, string Output) RunCapturingOutput(string[] args)
    {
        var output = new StringWriter();
        var (oldOut, oldConsole) = (Console.Out, Spectre.Console.AnsiConsole.Console);
        var console = Spectre.Console.AnsiConsole.Create(new Spectre.Console.AnsiConsoleSettings
        {
            Out = new Spectre.Console.AnsiConsoleOutput(output), Ansi = Spectre.Console.AnsiSupport.No,
            ColorSystem = Spectre.Console.ColorSystemSupport.NoColors,
        });
        console.Profile.Width = 200;
        Console.SetOut(output);
        Spectre.Console.AnsiConsole.Console = console;
        try { return (CliApp.Run(args), output.ToString()); }
        finally { Console.SetOut(oldOut); Spectre.Console.AnsiConsole.Console = oldConsole; }
    }

    /// <summary>The profile table has one row per kernel, with at least one call; the kernels each model's step must run are
    /// among them (the forward and backward of its layers, its loss, AdamW, and for the VQ-VAE the after-step EMA update and dead-code restarts); kernel time is positive and the steady-state
    /// step allocates nothing on the device, in <c>profile</c> and in <c>bench step</c>.</summary>
    [Theory]
    [InlineData("vqvae", "cpu")]
    [InlineData("prior", "cpu")]
    [InlineData("vqvae", "cpu-sim")]
    public void ProfileAndBenchStepRunOnTinyModels(string model, string device)
    {
        string[] tiny = ["--preset", "demo", "--model", model, "--batch-size", "2", "--image-size", "16", "--steps", "1", "--device", device, "--threads", "2"];
        var (exit, profile) = RunCapturingOutput(["profile", .. tiny]);
        Assert.Equal(0, exit);
        var rows = System.Text.RegularExpressions.Regex.Matches(profile, @"│ (\w+Kernels\.\w+(?: \(\w+\))?) +│ (\w+) +│ ([\d.]+) +│ ([\d.]+) +│ +[\d.]+% +│ +([\d.]*) +│")
            .ToDictionary(m => m.Groups[1].Value, m => (Impl: m.Groups[2].Value, Calls: double.Parse(m.Groups[3].Value, System.Globalization.CultureInfo.InvariantCulture),
                Gflops: m.Groups[5].Value));
        string[] expected = model == "vqvae"
            ? ["Conv2dKernels.Forward", "Conv2dKernels.InputGrad", "Conv2dKernels.WeightGrad", "Conv2dKernels.InputGrad (conv_transpose2d)", "Conv2dKernels.WeightGrad (conv_transpose2d)", "CodebookKernels.NearestCode", "LossKernels.MseBackward", "AdamWKernels.Step", "CodebookMaintenanceKernels.EmaAccumulate", "CodebookMaintenanceKernels.RestartCodes"]
            : ["Conv2dKernels.Forward", "Conv2dKernels.WeightGrad", "ShiftKernels.ShiftRows", "ElementwiseKernels.GatedActivation", "CrossEntropyKernels.Nll", "CrossEntropyKernels.SoftmaxBackward", "AdamWKernels.Step"];
        foreach (var kernel in expected) Assert.True(rows.ContainsKey(kernel), $"no row for {kernel} in\n{profile}");
        // Compute kernels have a GFLOP/s column (their slots declare a cost), memory-bound ones do not.
        Assert.All(expected.Where(k => k.StartsWith("Conv2dKernels.") || k == "CodebookKernels.NearestCode"), k => Assert.NotEqual("", rows[k].Gflops));
        Assert.All(expected.Where(k => !k.StartsWith("Conv2dKernels.") && k != "CodebookKernels.NearestCode"), k => Assert.Equal("", rows[k].Gflops));
        Assert.All(rows.Values, r => Assert.True(r.Calls >= 1, profile));
        Assert.All(rows.Values, r => Assert.Contains(r.Impl, device == "cpu" ? new[] { "native", "host" } : new[] { "ilgpu" }));
        Assert.Equal(rows.Count, System.Text.RegularExpressions.Regex.Matches(profile, @"│ \w+Kernels\.\w+ ").Count); // one row per kernel
        var kernelTime = System.Text.RegularExpressions.Regex.Match(profile, @"kernel time ([\d.]+) ms/step");
        Assert.True(kernelTime.Success && double.Parse(kernelTime.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture) > 0, profile);
        Assert.Contains(" 0 device allocations per steady-state step", profile);

        var (benchExit, bench) = RunCapturingOutput(["bench", "step", .. tiny]);
        Assert.Equal(0, benchExit);
        var median = System.Text.RegularExpressions.Regex.Match(bench, @"median ([\d.]+) ms/step = ([\d.]+) ");
        Assert.True(median.Success && double.Parse(median.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture) > 0, bench);
        Assert.Contains(" 0 device allocations after warm-up", bench);

        var (shapeExit, byShape) = RunCapturingOutput(["profile", "--by-shape", .. tiny]);
        Assert.Equal(0, shapeExit);
        Assert.Matches(@"│ Conv2dKernels\.WeightGrad \d+→\d+ \d+×\d+ s\d \d+×\d+ +│", byShape);
        Assert.DoesNotMatch(@"│ Conv2dKernels\.WeightGrad +│", byShape);
    }

    [Theory]
    [InlineData("--model", "gan")]
    [InlineData("--threads", "-1")]
    [InlineData("--steps", "0")]
    [InlineData("--preset", "huge")]
    public void BadStepOptionsAreUserErrors(string option, string value)
    {
        var args = new Dictionary<string, string> { ["--preset"] = "demo", ["--batch"] = "2", ["--image-size"] = "16", ["--steps"] = "1" };
        args[option] = value;
        Assert.Equal(2, CliApp.Run(["bench", "step", .. args.SelectMany(kv => new[] { kv.Key, kv.Value })]));
    }
}
