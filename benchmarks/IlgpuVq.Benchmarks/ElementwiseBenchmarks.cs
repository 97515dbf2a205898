using BenchmarkDotNet.Attributes;
using IlgpuVq.Engine.Memory;
using IlgpuVq.Engine.Ops;
using IlgpuVq.Engine.Optim;
using IlgpuVq.Engine.Tensors;

namespace IlgpuVq.Benchmarks;

/// <summary>
/// The memory-bound kernels of a training step at the <c>ref</c> VQ-VAE's largest activation, [32,64,32,32] (2 M floats):
/// ReLU forward and backward, add, bias add, and an AdamW step over 1 M parameters; plus the prior's cross-entropy over
/// logits [32,512,16,16]. Bytes = every element read and written once (4 bytes each).
/// </summary>
public class ElementwiseBenchmarks : DeviceBenchmark
{
    const int N = 32 * 64 * 32 * 32;
    const int Params = 1 << 20;
    const double LogitBytes = 4.0 * 32 * 512 * 16 * 16;

    Tensor x = null!, y = null!, bias = null!, p = null!, logits = null!, targets = null!;
    AdamW optimizer = null!;

    [GlobalSetup]
    public void Setup()
    {
        Open();
        x = Seeded(31, 1f, 32, 64, 32, 32);
        y = Seeded(32, 1f, 32, 64, 32, 32);
        bias = Seeded(33, 1f, 64);
        p = Seeded(34, 1f, Params);
        p.RequiresGrad = true;
        using (new TensorScope()) Elementwise.Scale(p, 2f).Backward(Seeded(35, 1f, Params)); // gives p a gradient to step on
        optimizer = new AdamW([p]);
        logits = Seeded(36, 1f, 32, 512, 16, 16);
        var rng = new Random(37);
        targets = Tensor.Persistent(Dev, DType.Int32, 32, 16, 16);
        targets.CopyFrom(Enumerable.Range(0, 32 * 16 * 16).Select(_ => rng.Next(512)).ToArray());
        Sync();
    }

    [Benchmark(Description = "ReLU [32,64,32,32]"), Bytes(2.0 * 4 * N)]
    public void Relu()
    {
        using (new TensorScope()) Elementwise.Relu(x);
        Sync();
    }

    [Benchmark(Description = "Add [32,64,32,32]"), Bytes(3.0 * 4 * N)]
    public void Add()
    {
        using (new TensorScope()) Elementwise.Add(x, y);
        Sync();
    }

    [Benchmark(Description = "BiasAdd [32,64,32,32] + [64]"), Bytes(2.0 * 4 * N)]
    public void BiasAdd()
    {
        using (new TensorScope()) Elementwise.BiasAdd(x, bias);
        Sync();
    }

    [Benchmark(Description = "AdamW step, 1M parameters"), Bytes(7.0 * 4 * Params)] // read p, g, m, v; write p, m, v
    public void AdamWStep()
    {
        optimizer.Step();
        Sync();
    }

    [Benchmark(Description = "CrossEntropy mean [32,512,16,16]"), Bytes(LogitBytes)]
    public void CrossEntropyMean()
    {
        using (new TensorScope()) CrossEntropy.Mean(logits, targets);
        Sync();
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        optimizer.Dispose();
        foreach (var t in new[] { x, y, bias, p, logits, targets }) t.Dispose();
    }
}
