using BenchmarkDotNet.Attributes;
using IlgpuVq.Engine.Memory;
using IlgpuVq.Engine.Ops;
using IlgpuVq.Engine.Tensors;

namespace IlgpuVq.Benchmarks;

/// <summary>C[512,512] = A[512,512]·B[512,512]: the register-tiled kernel and the one-output-per-thread baseline.</summary>
public class GemmBenchmarks : DeviceBenchmark
{
    const int Size = 512;
    const double Flops = 2.0 * Size * Size * Size;
    Tensor a = null!, b = null!;

    [GlobalSetup]
    public void Setup()
    {
        Open();
        a = Seeded(1, 1f, Size, Size);
        b = Seeded(2, 1f, Size, Size);
        Sync();
    }

    [Benchmark(Description = "Gemm 512^3 tiled"), Flops(Flops)]
    public void Tiled()
    {
        using (new TensorScope()) Gemm.Apply(a, b);
        Sync();
    }

    [Benchmark(Description = "Gemm 512^3 naive", Baseline = true), Flops(Flops)]
    public void Naive()
    {
        using (new TensorScope()) Gemm.ApplyNaive(a, b);
        Sync();
    }

    [GlobalCleanup]
    public void Cleanup() { a.Dispose(); b.Dispose(); }
}
