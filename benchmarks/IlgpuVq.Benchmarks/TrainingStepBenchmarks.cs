using BenchmarkDotNet.Attributes;
using IlgpuVq.Cli.Commands;
using IlgpuVq.Engine.Devices;

namespace IlgpuVq.Benchmarks;

/// <summary>
/// Whole training steps (forward, backward, AdamW, the after-step codebook work; the same harnesses as <c>ilgpuvq bench step</c>): the <c>ref</c> VQ-VAE
/// at batch 32, 64 px (compare libtorch's ~280 ms on this 2-core machine) and the <c>ref</c> PixelCNN prior on its 16×16
/// code grid. Native backend only: a <c>ref</c> step takes 24–50 s on the simulator, far too long for repeated invocations
/// (<c>ilgpuvq bench step --device cpu-sim</c> times it once).
/// </summary>
public class TrainingStepBenchmarks
{
    [Params("cpu")]
    public string Device { get; set; } = "cpu";

    [Params("vqvae", "prior")]
    public string Model { get; set; } = "vqvae";

    StepHarness harness = null!;

    [GlobalSetup]
    public void Setup()
    {
        var device = DeviceCatalog.Open(Device);
        harness = Model == "vqvae" ? VqVaeStepHarness.ForPreset(device, "ref", 32, 64) : PriorStepHarness.ForPreset(device, "ref", 32, 64);
        harness.Step();
    }

    [GlobalCleanup]
    public void Cleanup() => harness.Dispose();

    [Benchmark(Description = "training step, ref preset, batch 32, 64 px")]
    public void Step() => harness.Step();
}
