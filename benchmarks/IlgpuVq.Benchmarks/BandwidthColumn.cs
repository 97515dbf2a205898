using System.Reflection;
using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Running;

namespace IlgpuVq.Benchmarks;

/// <summary>Bytes read plus bytes written by one invocation of a memory-bound [Benchmark] method.</summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class BytesAttribute(double bytes) : Attribute
{
    public double Bytes { get; } = bytes;
}

/// <summary>GB/s = <see cref="BytesAttribute.Bytes"/> / mean time of the invocation; empty for methods without the attribute.</summary>
public sealed class BandwidthColumn : IColumn
{
    public string Id => nameof(BandwidthColumn);
    public string ColumnName => "GB/s";
    public bool AlwaysShow => true;
    public ColumnCategory Category => ColumnCategory.Statistics;
    public int PriorityInCategory => 11;
    public bool IsNumeric => true;
    public UnitType UnitType => UnitType.Dimensionless;
    public string Legend => "Gigabytes moved per second (bytes read + written by the invocation / mean time)";
    public bool IsAvailable(Summary summary) => true;
    public bool IsDefault(Summary summary, BenchmarkCase benchmarkCase) => false;

    public string GetValue(Summary summary, BenchmarkCase benchmarkCase) => GetValue(summary, benchmarkCase, SummaryStyle.Default);

    public string GetValue(Summary summary, BenchmarkCase benchmarkCase, SummaryStyle style)
    {
        var bytes = benchmarkCase.Descriptor.WorkloadMethod.GetCustomAttribute<BytesAttribute>()?.Bytes;
        var meanNs = summary[benchmarkCase]?.ResultStatistics?.Mean;
        if (bytes == null || meanNs is null or <= 0) return "-";
        return (bytes.Value / meanNs.Value).ToString("F2", System.Globalization.CultureInfo.InvariantCulture); // bytes/ns = GB/s
    }
}
