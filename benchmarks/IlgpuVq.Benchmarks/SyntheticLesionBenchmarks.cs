using BenchmarkDotNet.Attributes;
using IlgpuVq.Data;

namespace IlgpuVq.Benchmarks;

/// <summary>
/// The embedded synthetic lesions (`--data synthetic`): 200 images generated in parallel on the host, at the demo's 32 px
/// and at 64 px. Host work only, so no device parameter (not a <see cref="DeviceBenchmark"/>).
/// </summary>
public class SyntheticLesionBenchmarks
{
    [Params(32, 64)]
    public int ImageSize { get; set; }

    [Benchmark(Description = "200 synthetic lesions")]
    public int Generate()
    {
        using var dataset = new SyntheticLesionDataset(200, ImageSize, seed: 9);
        return dataset.Count;
    }
}
