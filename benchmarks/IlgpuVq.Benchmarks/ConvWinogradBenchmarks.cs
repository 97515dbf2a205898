using BenchmarkDotNet.Attributes;
using IlgpuVq.Engine.Devices;
using IlgpuVq.Engine.Memory;
using IlgpuVq.Engine.Native;
using IlgpuVq.Engine.Ops;
using IlgpuVq.Engine.Tensors;

namespace IlgpuVq.Benchmarks;

/// <summary>
/// The native backend's stride-1 3×3 convolutions of the ref VQ-VAE (batch 32, 16 × 16, padding 1) with
/// <see cref="Conv2dWinograd"/> where it applies by default (<see cref="WinogradUse.WhereFaster"/>), forced on every one
/// (<see cref="WinogradUse.Always"/>) and off (<see cref="WinogradUse.Never"/>: im2col + GEMM). `cpu` only: the other devices
/// have no Winograd path. Dense FLOPs per pass: 2·32·Cout·256·Cin·9 (2.42 G at 128 → 128, 0.60 G at 128 → 32, 1.21 G at 64 → 128).
/// </summary>
public class ConvWinogradBenchmarks
{
    [Params(WinogradUse.WhereFaster, WinogradUse.Always, WinogradUse.Never)]
    public WinogradUse Use { get; set; }

    /// <summary>Input and output channels: the encoder's 128 → 128, a residual block's 128 → 32, the decoder's 64 → 128.</summary>
    [Params("128-128", "128-32", "64-128")]
    public string Channels { get; set; } = "128-128";

    ComputeDevice device = null!;
    Tensor x = null!, w = null!, b = null!, dy = null!;

    [GlobalSetup]
    public void Setup()
    {
        device = DeviceCatalog.Open("cpu");
        var c = Channels.Split('-').Select(int.Parse).ToArray();
        x = DeviceBenchmark.Seeded(device, 1, 1f, 32, c[0], 16, 16);
        w = DeviceBenchmark.Seeded(device, 2, 0.03f, c[1], c[0], 3, 3);
        b = DeviceBenchmark.Seeded(device, 3, 0.1f, c[1]);
        dy = DeviceBenchmark.Seeded(device, 4, 1f, 32, c[1], 16, 16);
        device.Synchronize();
    }

    [Benchmark(Description = "conv2d k3p1 forward")]
    public void Forward()
    {
        Conv2dWinograd.Use = Use; // per thread: set where the launch is made
        using (new TensorScope()) Conv2d.Apply(x, w, b, 1, 1);
        device.Synchronize();
    }

    /// <summary>The input gradient alone: conv_transpose2d(dy, w) with stride 1, padding 1 runs conv2d's input-gradient kernel.</summary>
    [Benchmark(Description = "conv2d k3p1 input gradient")]
    public void InputGradient()
    {
        Conv2dWinograd.Use = Use;
        using (new TensorScope()) ConvTranspose2d.Apply(dy, w, null, 1, 1);
        device.Synchronize();
    }

    /// <summary>Forward and the weight gradient (x does not require grad).</summary>
    [Benchmark(Description = "conv2d k3p1 forward + weight gradient")]
    public void ForwardWeightGradient()
    {
        Conv2dWinograd.Use = Use;
        w.RequiresGrad = true;
        using (new TensorScope()) Conv2d.Apply(x, w, b, 1, 1).Backward(dy);
        w.RequiresGrad = false;
        device.Synchronize();
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        foreach (var t in new[] { x, w, b, dy }) t.Dispose();
    }
}
