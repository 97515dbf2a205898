using BenchmarkDotNet.Attributes;
using IlgpuVq.Engine.Memory;
using IlgpuVq.Engine.Ops;
using IlgpuVq.Engine.Tensors;

namespace IlgpuVq.Benchmarks;

/// <summary>
/// Nearest-codebook search of the <c>ref</c> model's shape: 8192 latent vectors (batch 32 × 16×16) of D=64 against
/// K=512 codes. FLOPs: 3 per (row, code, dimension) for the fused squared distance (subtract, multiply, add).
/// </summary>
public class CodebookBenchmarks : DeviceBenchmark
{
    const double SearchFlops = 3.0 * 8192 * 512 * 64;

    Tensor z = null!, codebook = null!;

    [GlobalSetup]
    public void Setup()
    {
        Open();
        z = Seeded(21, 1f, 8192, 64);
        codebook = Seeded(22, 1f, 512, 64);
        Sync();
    }

    [Benchmark(Description = "Codebook nearest [8192,64] x [512,64]"), Flops(SearchFlops)]
    public void Nearest()
    {
        using (new TensorScope()) Codebook.Nearest(z, codebook);
        Sync();
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        z.Dispose();
        codebook.Dispose();
    }
}
