using BenchmarkDotNet.Configs;

namespace IlgpuVq.Benchmarks;

/// <summary>The default BenchmarkDotNet configuration plus the GFLOP/s and GB/s columns.</summary>
public static class BenchmarkConfig
{
    public static IConfig Create() => DefaultConfig.Instance.AddColumn(new GflopsColumn(), new BandwidthColumn());
}
