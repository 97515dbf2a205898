using BenchmarkDotNet.Attributes;
using IlgpuVq.Engine.Memory;
using IlgpuVq.Engine.Ops;
using IlgpuVq.Engine.Tensors;

namespace IlgpuVq.Benchmarks;

/// <summary>
/// C[512,512] = A[512,512]·B[512,512]: the register-tiled kernel and the one-output-per-thread baseline; and an odd shape,
/// C[509,515] = A[509,511]·B[511,515], that fits no tile or vector width.
/// </summary>
public class GemmBenchmarks : DeviceBenchmark
{
    const int Size = 512;
    const double Flops = 2.0 * Size * Size * Size;
    const int M = 509, K = 511, N = 515;
    const double OddFlops = 2.0 * M * K * N;
    Tensor a = null!, b = null!, oddA = null!, oddB = null!;

    [GlobalSetup]
    public void Setup()
    {
        Open();
        a = Seeded(1, 1f, Size, Size);
        b = Seeded(2, 1f, Size, Size);
        oddA = Seeded(3, 1f, M, K);
        oddB = Seeded(4, 1f, K, N);
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
        using (new TensorScope()) IlgpuVq.Checks.Variants.NaiveGemm.Apply(a, b);
        Sync();
    }

    [Benchmark(Description = "Gemm 509x511x515 tiled (odd)"), Flops(OddFlops)]
    public void TiledOdd()
    {
        using (new TensorScope()) Gemm.Apply(oddA, oddB);
        Sync();
    }

    [GlobalCleanup]
    public void Cleanup() { a.Dispose(); b.Dispose(); oddA.Dispose(); oddB.Dispose(); }
}
