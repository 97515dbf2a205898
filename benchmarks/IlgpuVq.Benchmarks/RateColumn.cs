using System.Globalization;
using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Running;

namespace IlgpuVq.Benchmarks;

/// <summary>
/// A column of work per second: the work of one invocation (read from an attribute on the [Benchmark] method by
/// <see cref="Work"/>) divided by the mean time in ns, i.e. billions per second; "-" for methods without the attribute.
/// </summary>
public abstract class RateColumn(string name, string legend, int priority, string format) : IColumn
{
    /// <summary>Work of one invocation of the benchmark's method, or null when the method declares none.</summary>
    protected abstract double? Work(BenchmarkCase benchmarkCase);

    public string Id => GetType().Name;
    public string ColumnName => name;
    public bool AlwaysShow => true;
    public ColumnCategory Category => ColumnCategory.Statistics;
    public int PriorityInCategory => priority;
    public bool IsNumeric => true;
    public UnitType UnitType => UnitType.Dimensionless;
    public string Legend => legend;
    public bool IsAvailable(Summary summary) => true;
    public bool IsDefault(Summary summary, BenchmarkCase benchmarkCase) => false;

    public string GetValue(Summary summary, BenchmarkCase benchmarkCase) => GetValue(summary, benchmarkCase, SummaryStyle.Default);

    public string GetValue(Summary summary, BenchmarkCase benchmarkCase, SummaryStyle style)
    {
        var work = Work(benchmarkCase);
        var meanNs = summary[benchmarkCase]?.ResultStatistics?.Mean;
        if (work == null || meanNs is null or <= 0) return "-";
        return (work.Value / meanNs.Value).ToString(format, CultureInfo.InvariantCulture); // work per ns = billions per second
    }
}
