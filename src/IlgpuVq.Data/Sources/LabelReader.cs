using System.Globalization;

namespace IlgpuVq.Data;

/// <summary>
/// Labels read from CSV rows: image id → (label, lesion id), the class names, and the rows that could not be used
/// (<see cref="Bad"/> for the report, <see cref="Invalid"/> for ids whose row was rejected so they are not also unlisted).
/// </summary>
internal sealed record LabelRows(IReadOnlyList<string> ClassNames)
{
    public Dictionary<string, (int Label, string? Group)> Labels { get; } = new(StringComparer.OrdinalIgnoreCase);
    public List<string> Bad { get; } = [];
    public HashSet<string> Invalid { get; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>Adds a row's label, reporting a second row for the same image.</summary>
    public void Add(string id, int label, string? group)
    {
        if (!Labels.TryAdd(id, (label, group))) Bad.Add($"{id} (duplicate row)");
    }

    /// <summary>Rejects a row with the reason.</summary>
    public void Reject(string id, string reason)
    {
        Bad.Add($"{id} ({reason})");
        Invalid.Add(id);
    }
}

/// <summary>
/// Reads labels from CSVs in the two shapes every labelled layout uses: one class column whose values are the class
/// names (HAM10000's <c>dx</c>, ISIC 2019/2020 diagnosis columns, any <c>--label-column NAME</c>) or one-hot columns
/// whose names are the classes (ISIC 2018/2019 ground truth, <c>--label-column A,B,C</c>).
/// </summary>
internal static class LabelReader
{
    /// <summary>More distinct values than this in a label column is an error (most likely an id column, not classes).</summary>
    public const int MaxClasses = 1000;

    /// <summary>
    /// One class column. With <paramref name="fixedNames"/> (HAM10000) the values must be those names (case-insensitive)
    /// and keep their order; without, the classes are the distinct values of the column, sorted (numerically when all
    /// are integers, else ordinally).
    /// </summary>
    public static LabelRows ReadClassColumn(CsvTable csv, string idColumn, string classColumn, IReadOnlyList<string>? fixedNames,
                                            string? groupColumn = null)
    {
        int cId = Require(csv, idColumn), cClass = Require(csv, classColumn), cGroup = groupColumn is null ? -1 : Require(csv, groupColumn);
        var names = fixedNames ?? ClassNamesOf(csv, cClass);
        var index = new Dictionary<string, int>(fixedNames is null ? StringComparer.Ordinal : StringComparer.OrdinalIgnoreCase);
        for (var k = 0; k < names.Count; k++) index[names[k]] = k;
        var rows = new LabelRows(names);
        foreach (var r in csv.Rows)
        {
            var id = ImageId(CsvTable.Field(r, cId));
            if (id.Length == 0) { rows.Bad.Add($"row with empty {csv.Header[cId]} in {csv.FileName}"); continue; }
            var value = CsvTable.Field(r, cClass);
            if (value.Length == 0) { rows.Reject(id, $"empty {csv.Header[cClass]}"); continue; }
            if (!index.TryGetValue(value, out var label)) { rows.Reject(id, $"unknown {csv.Header[cClass]} '{value}'"); continue; }
            var group = CsvTable.Field(r, cGroup);
            rows.Add(id, label, group.Length > 0 ? group : null);
        }
        return rows;
    }

    /// <summary>
    /// One-hot columns (a value above 0.5 marks the class; exactly one per row), class <c>k</c> named
    /// <paramref name="names"/>[k]. Lesion ids come from <paramref name="groups"/> when given.
    /// </summary>
    public static LabelRows ReadOneHot(IEnumerable<CsvTable> csvs, string idColumn, IReadOnlyList<string> columns, IReadOnlyList<string> names,
                                       IReadOnlyDictionary<string, string>? groups = null)
    {
        var rows = new LabelRows(names);
        foreach (var csv in csvs)
        {
            var cId = Require(csv, idColumn);
            var cols = columns.Select(c => Require(csv, c)).ToArray();
            foreach (var r in csv.Rows)
            {
                var id = ImageId(CsvTable.Field(r, cId));
                if (id.Length == 0) { rows.Bad.Add($"row with empty {csv.Header[cId]} in {csv.FileName}"); continue; }
                int label = -1, ones = 0;
                var valid = true;
                for (var k = 0; k < cols.Length && valid; k++)
                {
                    valid = double.TryParse(CsvTable.Field(r, cols[k]), NumberStyles.Float, CultureInfo.InvariantCulture, out var v);
                    if (v > 0.5) { label = k; ones++; }
                }
                if (!valid || ones != 1) { rows.Reject(id, ones == 0 && valid ? "no class marked in a one-hot row" : "not a one-hot row"); continue; }
                string? group = null;
                groups?.TryGetValue(id, out group);
                rows.Add(id, label, group);
            }
        }
        return rows;
    }

    /// <summary>The labels of a user CSV (<c>--labels</c>, <c>--label-column</c>, <c>--id-column</c>).</summary>
    public static LabelRows ReadUserCsv(string path, IReadOnlyList<string> labelColumns, string? idColumn)
    {
        if (!File.Exists(path)) throw new DataError($"--labels {path} does not exist");
        if (labelColumns.Count == 0) throw new DataError($"--labels {path} needs --label-column NAME (or NAME,NAME,... for one-hot columns)");
        var csv = CsvTable.Read(path);
        var id = idColumn ?? csv.Header[0];
        if (labelColumns.Any(c => string.Equals(c, id, StringComparison.OrdinalIgnoreCase)))
            throw new DataError($"--label-column {string.Join(",", labelColumns)} includes the image id column '{id}'; give the id column with --id-column");
        return labelColumns.Count == 1
            ? ReadClassColumn(csv, id, labelColumns[0], null)
            : ReadOneHot([csv], id, labelColumns, labelColumns.Select(c => csv.Header[Require(csv, c)]).ToArray());
    }

    /// <summary>A CSV image id without a trailing image extension and with '/' separators (<c>a\b.JPG</c> → <c>a/b</c>).</summary>
    public static string ImageId(string value)
    {
        var id = value.Replace('\\', '/');
        return SourceFiles.HasImageExtension(id) ? Path.ChangeExtension(id, null) : id;
    }

    /// <summary>The sorted distinct non-empty values of a column.</summary>
    static List<string> ClassNamesOf(CsvTable csv, int column)
    {
        var values = csv.Rows.Select(r => CsvTable.Field(r, column)).Where(v => v.Length > 0).Distinct(StringComparer.Ordinal).ToList();
        if (values.Count > MaxClasses)
            throw new DataError($"column {csv.Header[column]} of {csv.FileName} has {values.Count} distinct values, more than {MaxClasses} classes: " +
                                "is it an id column? Give the class column with --label-column");
        var numeric = values.All(v => long.TryParse(v, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out _));
        return numeric ? values.OrderBy(v => long.Parse(v, CultureInfo.InvariantCulture)).ToList() : values.Order(StringComparer.Ordinal).ToList();
    }

    static int Require(CsvTable csv, string column)
    {
        var c = csv.Column(column);
        if (c < 0) throw new DataError($"{csv.FileName} has no column '{column}'; its columns are {string.Join(", ", csv.Header)}");
        return c;
    }
}
