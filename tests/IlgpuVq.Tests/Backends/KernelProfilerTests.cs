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
            }
            finally { device.Profiler = null; }
        }
        var timings = profiler.Timings().ToDictionary(t => t.Kernel);
        var conv = timings["Conv2dKernels.Forward"];
        Assert.Equal(1, conv.Calls);
        Assert.Equal(2.0 * 2 * 5 * 5 * 4 * 3 * 3 * 3, conv.Flops); // N·Cout·OH·OW·Cin·KH·KW with OH = 5, OW = 4
        Assert.Equal(2, timings["ElementwiseKernels.Relu"].Calls);
        Assert.Equal(2 * 2 * (2 * 5 * 5 * 4) * 4.0, timings["ElementwiseKernels.Relu"].Bytes); // two calls, input + output views
        Assert.Equal(0, timings["ElementwiseKernels.Relu"].Flops);
        Assert.All(timings.Values, t => Assert.True(t.Milliseconds >= 0 && double.IsFinite(t.Milliseconds)));
        Assert.All(timings.Values, t => Assert.Contains(t.Implementation, device.IsNative ? new[] { "native", "host" } : new[] { "ilgpu" }));
    }

    [Theory]
    [InlineData("vqvae", "cpu")]
    [InlineData("prior", "cpu")]
    [InlineData("vqvae", "cpu-sim")]
    public void ProfileAndBenchStepRunOnTinyModels(string model, string device)
    {
        string[] tiny = ["--preset", "demo", "--model", model, "--batch", "2", "--image-size", "16", "--steps", "1", "--device", device, "--threads", "2"];
        Assert.Equal(0, CliApp.Run(["profile", .. tiny]));
        Assert.Equal(0, CliApp.Run(["bench", "step", .. tiny]));
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
