using BenchmarkDotNet.Running;

namespace IlgpuVq.Benchmarks;

/// <summary>
/// Entry point: <c>dotnet run -c Release --project benchmarks/IlgpuVq.Benchmarks -- --filter '*Gemm*' --job short</c>.
/// Every benchmark class derives from <see cref="DeviceBenchmark"/> (device parameter, seeded inputs, synchronisation) and
/// tags each [Benchmark] method with <see cref="FlopsAttribute"/>, which <see cref="GflopsColumn"/> turns into GFLOP/s.
/// </summary>
public static class Program
{
    public static void Main(string[] args) =>
        BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args, BenchmarkConfig.Create());
}
