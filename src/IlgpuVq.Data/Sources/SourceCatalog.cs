namespace IlgpuVq.Data;

/// <summary>One image of a real dataset before decoding: file, id, label and lesion group.</summary>
internal sealed record SourceEntry(string ImageId, SourceFile File, int Label, string? GroupId);

/// <summary>
/// The images of a data folder matched with their CSV rows, plus everything that did not match:
/// CSV rows without an image, images without a row, invalid rows and duplicate files.
/// </summary>
internal sealed class SourceCatalog
{
    public required DatasetLayout Layout { get; init; }
    public required string Root { get; init; }
    /// <summary>Entries in ordinal order of image id.</summary>
    public required List<SourceEntry> Entries { get; init; }
    public required List<SourceFile> NonImages { get; init; }
    public required IReadOnlyList<string> CsvFiles { get; init; }
    public ProblemList MissingImages { get; init; } = ProblemList.None;
    public ProblemList Unlisted { get; init; } = ProblemList.None;
    public ProblemList BadRows { get; init; } = ProblemList.None;

    public static SourceCatalog Load(string root, string? excludeDir)
    {
        var layout = LayoutDetector.Detect(root);
        var (images, nonImages) = SourceFiles.Scan(root, excludeDir);
        return layout.Layout switch
        {
            DatasetLayout.UnlabeledFolder => Unlabeled(root, images, nonImages),
            _ => Labeled(root, layout, images, nonImages),
        };
    }

    static SourceCatalog Unlabeled(string root, List<SourceFile> images, List<SourceFile> nonImages)
    {
        var entries = images.Select(f => new SourceEntry(Path.ChangeExtension(f.RelativePath, null), f, -1, null)).ToList();
        entries.Sort((a, b) => string.CompareOrdinal(a.ImageId, b.ImageId));
        return new SourceCatalog
        {
            Layout = DatasetLayout.UnlabeledFolder, Root = root, Entries = entries, NonImages = nonImages, CsvFiles = [],
        };
    }

    static SourceCatalog Labeled(string root, DetectedLayout layout, List<SourceFile> images, List<SourceFile> nonImages)
    {
        var rows = layout.Layout == DatasetLayout.Ham10000 ? ReadHam(layout.LabelCsvs[0]) : ReadIsic(layout);
        var bad = rows.Bad;

        // Image files by id (file stem); a second file with the same stem is a duplicate.
        var byId = new Dictionary<string, SourceFile>(StringComparer.OrdinalIgnoreCase);
        foreach (var f in images)
            if (!byId.TryAdd(f.Stem, f)) bad.Add($"{f.RelativePath} (duplicate of {byId[f.Stem].RelativePath})");

        var entries = new List<SourceEntry>();
        var missing = new List<string>();
        foreach (var (id, (label, group)) in rows.Labels)
        {
            if (byId.TryGetValue(id, out var file)) entries.Add(new SourceEntry(file.Stem, file, label, group));
            else missing.Add(id);
        }
        var unlisted = byId.Where(kv => !rows.Labels.ContainsKey(kv.Key) && !rows.Invalid.Contains(kv.Key))
                           .Select(kv => kv.Value.RelativePath);
        entries.Sort((a, b) => string.CompareOrdinal(a.ImageId, b.ImageId));
        return new SourceCatalog
        {
            Layout = layout.Layout, Root = root, Entries = entries, NonImages = nonImages,
            CsvFiles = layout.GroupingsCsv is null ? layout.LabelCsvs : [.. layout.LabelCsvs, layout.GroupingsCsv],
            MissingImages = ProblemList.From(missing), Unlisted = ProblemList.From(unlisted), BadRows = ProblemList.From(bad),
        };
    }

    sealed record Rows(Dictionary<string, (int Label, string? Group)> Labels, List<string> Bad, HashSet<string> Invalid);

    static Rows ReadHam(string csvPath)
    {
        var csv = CsvTable.Read(csvPath);
        int cImage = csv.Column("image_id"), cLesion = csv.Column("lesion_id"), cDx = csv.Column("dx");
        var rows = new Rows(new(StringComparer.OrdinalIgnoreCase), [], new(StringComparer.OrdinalIgnoreCase));
        foreach (var r in csv.Rows)
        {
            var id = CsvTable.Field(r, cImage);
            var dx = CsvTable.Field(r, cDx);
            var label = LesionClasses.IndexOf(dx);
            var lesion = CsvTable.Field(r, cLesion);
            if (id.Length == 0) { rows.Bad.Add($"row with empty image_id in {csv.FileName}"); continue; }
            if (label < 0) { rows.Bad.Add($"{id} (unknown dx '{dx}')"); rows.Invalid.Add(id); continue; }
            if (!rows.Labels.TryAdd(id, (label, lesion.Length > 0 ? lesion : null))) rows.Bad.Add($"{id} (duplicate row)");
        }
        return rows;
    }

    static Rows ReadIsic(DetectedLayout layout)
    {
        var rows = new Rows(new(StringComparer.OrdinalIgnoreCase), [], new(StringComparer.OrdinalIgnoreCase));
        Dictionary<string, string>? groups = null;
        if (layout.GroupingsCsv is not null)
        {
            var g = CsvTable.Read(layout.GroupingsCsv);
            int gi = g.Column("image"), gl = g.Column("lesion_id");
            groups = new(StringComparer.OrdinalIgnoreCase);
            foreach (var r in g.Rows)
            {
                var lesion = CsvTable.Field(r, gl);
                if (lesion.Length > 0) groups.TryAdd(CsvTable.Field(r, gi), lesion);
            }
        }
        foreach (var path in layout.LabelCsvs)
        {
            var csv = CsvTable.Read(path);
            var cImage = csv.Column("image");
            var cols = LesionClasses.IsicColumns.Select(csv.Column).ToArray();
            foreach (var r in csv.Rows)
            {
                var id = CsvTable.Field(r, cImage);
                if (id.Length == 0) { rows.Bad.Add($"row with empty image in {csv.FileName}"); continue; }
                var label = -1;
                var ones = 0;
                var valid = true;
                for (var k = 0; k < cols.Length; k++)
                {
                    if (!double.TryParse(CsvTable.Field(r, cols[k]), System.Globalization.NumberStyles.Float,
                            System.Globalization.CultureInfo.InvariantCulture, out var v)) { valid = false; break; }
                    if (v > 0.5) { label = k; ones++; }
                }
                if (!valid || ones != 1)
                {
                    rows.Bad.Add($"{id} (not a one-hot row)");
                    rows.Invalid.Add(id);
                    continue;
                }
                string? group = null;
                groups?.TryGetValue(id, out group);
                if (!rows.Labels.TryAdd(id, (label, group))) rows.Bad.Add($"{id} (duplicate row)");
            }
        }
        return rows;
    }
}
