using BenchmarkDotNet.Configs;

namespace IlgpuVq.Benchmarks;

/// <summary>The default BenchmarkDotNet configuration plus the GFLOP/s column.</summary>
public static class BenchmarkConfig
{
    public static IConfig Create() => DefaultConfig.Instance.AddColumn(new GflopsColumn());
}
