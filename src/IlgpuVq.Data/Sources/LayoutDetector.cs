namespace IlgpuVq.Data;

/// <summary>The recognised layout of a data folder and the CSV files that define its labels.</summary>
internal sealed record DetectedLayout(DatasetLayout Layout, IReadOnlyList<string> LabelCsvs, string? GroupingsCsv,
                                      ImageFolderShape? Folders = null);

/// <summary>
/// Recognises a user labels CSV (<c>--labels</c>), the HAM10000 release, ISIC 2018 Task 3, class folders (ImageFolder)
/// and a plain folder of images, and explains clearly when a folder fits none of them.
/// </summary>
internal static class LayoutDetector
{
    public static readonly string[] HamColumns = ["lesion_id", "image_id", "dx"];
    public static string[] IsicColumns => ["image", .. LesionClasses.IsicColumns];

    /// <summary>The expected layouts, for error messages.</summary>
    public static string ExpectedLayouts =>
        "expected HAM10000 (image folders of ISIC_XXXXXXX.jpg plus HAM10000_metadata.csv with columns " +
        "lesion_id,image_id,dx,...), ISIC 2018 Task 3 (ISIC2018_Task3_Training_Input/ plus " +
        "ISIC2018_Task3_Training_GroundTruth.csv with columns image,MEL,NV,BCC,AKIEC,BKL,DF,VASC), class folders " +
        "(root/<class>/*.jpg, optionally under train/ and test/), any folder with --labels FILE.csv --label-column NAME, " +
        "or a plain folder of .jpg/.png images (unlabeled)";

    public static DetectedLayout Detect(string root, SourceScan scan, DataOptions opts)
    {
        if (opts.LabelsCsv is not null) return new DetectedLayout(DatasetLayout.LabelsCsv, [Path.GetFullPath(opts.LabelsCsv)], null);
        if (opts.LabelColumns.Count > 0 || opts.IdColumn is not null)
            throw new DataError("--label-column and --id-column describe a labels CSV: give it with --labels FILE.csv");
        var csvs = SourceFiles.CsvFiles(root);
        string Name(string p) => Path.GetFileName(p);
        bool IsRoot(string p) => string.Equals(Path.GetDirectoryName(Path.GetFullPath(p)), Path.GetFullPath(root).TrimEnd(Path.DirectorySeparatorChar), StringComparison.Ordinal);

        var ham = csvs.Where(p => Name(p).StartsWith("HAM10000_metadata", StringComparison.OrdinalIgnoreCase)).ToList();
        if (ham.Count > 0)
        {
            RequireColumns(ham[0], HamColumns, "HAM10000");
            return new DetectedLayout(DatasetLayout.Ham10000, [ham[0]], null);
        }

        var groupings = csvs.FirstOrDefault(p => Name(p).Contains("LesionGroupings", StringComparison.OrdinalIgnoreCase));
        var isic = csvs.Where(p => Name(p).StartsWith("ISIC2018_Task3_", StringComparison.OrdinalIgnoreCase)
                                   && Name(p).Contains("GroundTruth", StringComparison.OrdinalIgnoreCase)).ToList();
        if (isic.Count > 0)
        {
            foreach (var p in isic) RequireColumns(p, IsicColumns, "ISIC 2018 Task 3");
            if (groupings is not null) RequireColumns(groupings, ["image", "lesion_id"], "ISIC 2018 Task 3 lesion groupings");
            return new DetectedLayout(DatasetLayout.Isic2018Task3, isic, groupings);
        }

        // Other CSVs in the root folder: recognise the layout by the header; class folders win over a CSV that fits
        // neither, and otherwise such a CSV is an error saying what is missing.
        string? unknown = null;
        foreach (var csv in csvs.Where(IsRoot).Where(p => p != groupings))
        {
            var header = CsvTable.ReadHeader(csv);
            if (CsvTable.Missing(header, HamColumns).Count == 0) return new DetectedLayout(DatasetLayout.Ham10000, [csv], null);
            if (CsvTable.Missing(header, IsicColumns).Count == 0) return new DetectedLayout(DatasetLayout.Isic2018Task3, [csv], groupings);
            unknown ??= csv;
        }
        if (ImageFolderLayout.Detect(scan.Images) is { } shape) return new DetectedLayout(DatasetLayout.ImageFolder, [], null, shape);
        if (unknown is not null)
        {
            var header = CsvTable.ReadHeader(unknown);
            throw new DataError($"{Name(unknown)} in {root} fits no known layout: as HAM10000 metadata it is missing columns " +
                                $"{string.Join(", ", CsvTable.Missing(header, HamColumns))} (needs {string.Join(",", HamColumns)}); as ISIC 2018 Task 3 " +
                                $"ground truth it is missing columns {string.Join(", ", CsvTable.Missing(header, IsicColumns))} (needs {string.Join(",", IsicColumns)}); " +
                                $"for another labelling use --labels {Name(unknown)} --label-column NAME");
        }
        return new DetectedLayout(DatasetLayout.UnlabeledFolder, [], null);
    }

    static void RequireColumns(string csv, IReadOnlyList<string> required, string layout)
    {
        var missing = CsvTable.Missing(CsvTable.ReadHeader(csv), required);
        if (missing.Count > 0)
            throw new DataError($"{Path.GetFileName(csv)} is missing required columns {string.Join(", ", missing)}: the {layout} layout " +
                                $"needs {string.Join(",", required)}; {ExpectedLayouts}");
    }
}
