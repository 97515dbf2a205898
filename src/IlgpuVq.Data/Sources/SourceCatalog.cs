namespace IlgpuVq.Data;

/// <summary>One image of a real dataset before decoding: file, id, label, lesion group, and whether a given split puts it in the test set.</summary>
internal sealed record SourceEntry(string ImageId, SourceFile File, int Label, string? GroupId, bool InTest = false);

/// <summary>
/// The images of a data folder matched with their labels (CSV rows or class folders), plus everything that did not
/// match: CSV rows without an image, images without a label, invalid rows, duplicate files and skipped entries.
/// </summary>
internal sealed class SourceCatalog
{
    public required DatasetLayout Layout { get; init; }
    public required string Root { get; init; }
    /// <summary>Entries in ordinal order of image id.</summary>
    public required List<SourceEntry> Entries { get; init; }
    /// <summary>Class names, label i is ClassNames[i]; empty when unlabeled.</summary>
    public required IReadOnlyList<string> ClassNames { get; init; }
    /// <summary>Files and folders skipped while listing the folder, as <c>path (reason)</c>.</summary>
    public required List<string> Skipped { get; init; }
    public required IReadOnlyList<string> CsvFiles { get; init; }
    /// <summary>Where the given train/test split comes from, or null.</summary>
    public string? GivenSplit { get; init; }
    public ProblemList MissingImages { get; init; } = ProblemList.None;
    public ProblemList Unlisted { get; init; } = ProblemList.None;
    public ProblemList BadRows { get; init; } = ProblemList.None;

    public static SourceCatalog Load(string root, string? excludeDir, DataOptions opts)
    {
        var scan = SourceFiles.Scan(root, excludeDir);
        var layout = LayoutDetector.Detect(root, scan, opts);
        return layout.Layout switch
        {
            DatasetLayout.UnlabeledFolder => Sorted(new SourceCatalog
            {
                Layout = layout.Layout, Root = root, Entries = scan.Images.Select(f => new SourceEntry(f.PathId, f, -1, null)).ToList(),
                ClassNames = [], Skipped = scan.Skipped, CsvFiles = [],
            }),
            DatasetLayout.ImageFolder => Folders(root, layout.Folders!, scan),
            _ => Labeled(root, layout, ReadRows(layout, opts), scan),
        };
    }

    static SourceCatalog Sorted(SourceCatalog c)
    {
        c.Entries.Sort((a, b) => string.CompareOrdinal(a.ImageId, b.ImageId));
        return c;
    }

    static SourceCatalog Folders(string root, ImageFolderShape shape, SourceScan scan)
    {
        var (entries, names, unlisted) = ImageFolderLayout.Label(scan.Images, shape);
        return Sorted(new SourceCatalog
        {
            Layout = DatasetLayout.ImageFolder, Root = root, Entries = entries, ClassNames = names, Skipped = scan.Skipped, CsvFiles = [],
            GivenSplit = shape.GivenSplit, Unlisted = ProblemList.From(unlisted),
        });
    }

    static LabelRows ReadRows(DetectedLayout layout, DataOptions opts) => layout.Layout switch
    {
        DatasetLayout.Ham10000 => LabelReader.ReadClassColumn(CsvTable.Read(layout.LabelCsvs[0]), "image_id", "dx", LesionClasses.Names, "lesion_id"),
        DatasetLayout.Isic2018Task3 => LabelReader.ReadOneHot(layout.LabelCsvs.Select(CsvTable.Read), "image", LesionClasses.IsicColumns,
                                                              LesionClasses.Names, layout.GroupingsCsv is null ? null : Groupings(layout.GroupingsCsv)),
        _ => LabelReader.ReadUserCsv(layout.LabelCsvs[0], opts.LabelColumns, opts.IdColumn),
    };

    /// <summary>image → lesion id from ISIC 2018's lesion groupings CSV.</summary>
    static Dictionary<string, string> Groupings(string path)
    {
        var g = CsvTable.Read(path);
        int gi = g.Column("image"), gl = g.Column("lesion_id");
        var groups = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var r in g.Rows)
        {
            var lesion = CsvTable.Field(r, gl);
            if (lesion.Length > 0) groups.TryAdd(CsvTable.Field(r, gi), lesion);
        }
        return groups;
    }

    /// <summary>
    /// Matches CSV rows to image files: by file stem (<c>ISIC_0024306</c>), or by the path below the root without
    /// extension when the CSV's ids contain folders (<c>benign/img1</c>).
    /// </summary>
    static SourceCatalog Labeled(string root, DetectedLayout layout, LabelRows rows, SourceScan scan)
    {
        var bad = rows.Bad;
        var byPath = rows.Labels.Keys.Any(k => k.Contains('/'));
        string Key(SourceFile f) => byPath ? f.PathId : f.Stem;

        // Image files by id; a second file with the same id is a duplicate.
        var byId = new Dictionary<string, SourceFile>(StringComparer.OrdinalIgnoreCase);
        foreach (var f in scan.Images)
            if (!byId.TryAdd(Key(f), f)) bad.Add($"{f.RelativePath} (duplicate of {byId[Key(f)].RelativePath})");

        var entries = new List<SourceEntry>();
        var missing = new List<string>();
        foreach (var (id, (label, group)) in rows.Labels)
        {
            if (byId.TryGetValue(id, out var file)) entries.Add(new SourceEntry(Key(file), file, label, group));
            else missing.Add(id);
        }
        var unlisted = byId.Where(kv => !rows.Labels.ContainsKey(kv.Key) && !rows.Invalid.Contains(kv.Key))
                           .Select(kv => kv.Value.RelativePath);
        return Sorted(new SourceCatalog
        {
            Layout = layout.Layout, Root = root, Entries = entries, ClassNames = rows.ClassNames, Skipped = scan.Skipped,
            CsvFiles = layout.GroupingsCsv is null ? layout.LabelCsvs : [.. layout.LabelCsvs, layout.GroupingsCsv],
            MissingImages = ProblemList.From(missing), Unlisted = ProblemList.From(unlisted), BadRows = ProblemList.From(bad),
        });
    }
}
