using System.Globalization;
using System.Text;
using System.Text.Json;
using IlgpuVq.Engine.Serialization;

namespace IlgpuVq.Models.Training;

/// <summary>
/// Per-epoch metrics, written as JSON lines and as CSV (same columns, first record's key order). The whole
/// history is rewritten atomically each epoch, so an interrupted run never leaves a half-written line, and a
/// resumed run drops the epochs after its checkpoint.
/// </summary>
public sealed class MetricsLog
{
    readonly RunFolder run;
    readonly List<Dictionary<string, double>> rows = new();

    public MetricsLog(RunFolder run) => this.run = run;

    public IReadOnlyList<Dictionary<string, double>> Rows => rows;

    /// <summary>Loads existing metrics up to and including <paramref name="lastEpoch"/> (for resume).</summary>
    public void LoadUpTo(int lastEpoch)
    {
        rows.Clear();
        if (!File.Exists(run.MetricsJsonl)) return;
        foreach (var line in File.ReadLines(run.MetricsJsonl))
        {
            if (string.IsNullOrWhiteSpace(line)) continue;
            var row = JsonSerializer.Deserialize<Dictionary<string, double>>(line)!;
            if (row.TryGetValue("epoch", out var e) && e <= lastEpoch) rows.Add(row);
        }
    }

    public void Append(Dictionary<string, double> row)
    {
        rows.Add(row);
        Flush();
    }

    /// <summary>One series (by key) over epochs, for plots.</summary>
    public (double[] Epochs, double[] Values) Series(string key)
    {
        var r = rows.Where(x => x.ContainsKey(key) && x.ContainsKey("epoch")).ToList();
        return (r.Select(x => x["epoch"]).ToArray(), r.Select(x => x[key]).ToArray());
    }

    void Flush()
    {
        var jsonl = new StringBuilder();
        foreach (var row in rows) jsonl.AppendLine(JsonSerializer.Serialize(row));
        AtomicFile.WriteAllText(run.MetricsJsonl, jsonl.ToString());

        var columns = rows.SelectMany(r => r.Keys).Distinct().ToList();
        var csv = new StringBuilder(string.Join(",", columns)).AppendLine();
        foreach (var row in rows)
            csv.AppendLine(string.Join(",", columns.Select(c => row.TryGetValue(c, out var v) ? v.ToString("R", CultureInfo.InvariantCulture) : "")));
        AtomicFile.WriteAllText(run.MetricsCsv, csv.ToString());
    }
}
