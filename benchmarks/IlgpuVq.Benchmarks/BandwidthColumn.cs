using System.Reflection;
using BenchmarkDotNet.Running;

namespace IlgpuVq.Benchmarks;

/// <summary>Bytes read plus bytes written by one invocation of a memory-bound [Benchmark] method.</summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class BytesAttribute(double bytes) : Attribute
{
    public double Bytes { get; } = bytes;
}

/// <summary>GB/s = <see cref="BytesAttribute.Bytes"/> / mean time of the invocation.</summary>
public sealed class BandwidthColumn() : RateColumn("GB/s", "Gigabytes moved per second (bytes read + written by the invocation / mean time)", 11, "F2")
{
    protected override double? Work(BenchmarkCase benchmarkCase) => benchmarkCase.Descriptor.WorkloadMethod.GetCustomAttribute<BytesAttribute>()?.Bytes;
}
