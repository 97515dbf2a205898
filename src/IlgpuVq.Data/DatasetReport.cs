namespace IlgpuVq.Data;

/// <summary>The dataset layouts the loader recognises.</summary>
public enum DatasetLayout
{
    /// <summary>Procedural lesions generated in memory (<c>--data synthetic</c>).</summary>
    Synthetic,
    /// <summary>Image folders of <c>ISIC_XXXXXXX.jpg</c> plus <c>HAM10000_metadata.csv</c>.</summary>
    Ham10000,
    /// <summary><c>ISIC2018_Task3_Training_Input/</c> plus the one-hot <c>ISIC2018_Task3_Training_GroundTruth.csv</c>.</summary>
    Isic2018Task3,
    /// <summary>A folder of images without a CSV: no labels.</summary>
    UnlabeledFolder,
    /// <summary>torchvision's ImageFolder: <c>root/&lt;class&gt;/**</c>, optionally under given <c>train/</c> and <c>test/</c> folders.</summary>
    ImageFolder,
    /// <summary>Any folder of images labelled by a user CSV (<c>--labels FILE --label-column NAME</c>).</summary>
    LabelsCsv,
}

/// <summary>A user labels CSV as given on the command line: the file (full path), its label column(s) and id column (null: the first).</summary>
public sealed record LabelsSpec(string Csv, IReadOnlyList<string> Columns, string? IdColumn);

/// <summary>How the preprocessing cache was used when the dataset was opened.</summary>
public enum CacheStatus
{
    /// <summary>No disk cache (synthetic data lives in memory).</summary>
    None,
    /// <summary>The cache was missing or stale and was built by this call.</summary>
    Built,
    /// <summary>An up-to-date cache was memory-mapped.</summary>
    Reused,
}

/// <summary>A kind of problem found while loading: every name (with its reason), in ordinal order.</summary>
public sealed record ProblemList(IReadOnlyList<string> All)
{
    /// <summary>Number of example names shown in one-line messages.</summary>
    public const int MaxExamples = 5;

    /// <summary>No problems.</summary>
    public static ProblemList None { get; } = new([]);

    /// <summary>How many.</summary>
    public int Count => All.Count;

    /// <summary>The first few names, for one-line messages.</summary>
    public IReadOnlyList<string> Examples => All.Take(MaxExamples).ToList();

    /// <summary>From the full list of names (sorted ordinally).</summary>
    public static ProblemList From(IEnumerable<string> names) => new(names.Order(StringComparer.Ordinal).ToList());

    /// <summary>"3 (a.jpg, b.jpg, c.jpg)" or "12 (a.jpg, ... and 7 more)".</summary>
    public override string ToString() =>
        Count == 0 ? "0" : $"{Count} ({string.Join(", ", Examples)}{(Count > Examples.Count ? $", ... and {Count - Examples.Count} more" : "")})";
}

/// <summary>Where a dataset came from and what was skipped while loading it.</summary>
public sealed record DatasetReport
{
    /// <summary>The recognised layout.</summary>
    public required DatasetLayout Layout { get; init; }

    /// <summary>The data folder (full path) or the synthetic spec.</summary>
    public required string Source { get; init; }

    /// <summary>Whether the preprocessing cache was built or reused.</summary>
    public CacheStatus Cache { get; init; }

    /// <summary>Path of the cache file, when there is one.</summary>
    public string? CachePath { get; init; }

    /// <summary>
    /// The label options the data was opened with (<c>--labels</c>, <c>--label-column</c>, <c>--id-column</c>), null when
    /// the labels were auto-detected: a run that records them can reopen the same labelled dataset.
    /// </summary>
    public LabelsSpec? Labels { get; init; }

    /// <summary>Where a given train/test split comes from (e.g. <c>train/ and test/ folders</c>); null when the split is ours to make.</summary>
    public string? GivenSplit { get; init; }

    /// <summary>Corrupt, truncated, unreadable and non-image files that were skipped.</summary>
    public ProblemList Unreadable { get; init; } = ProblemList.None;

    /// <summary>CSV rows whose image file is missing.</summary>
    public ProblemList MissingImages { get; init; } = ProblemList.None;

    /// <summary>Images that have no CSV row or lie outside the class folders (labeled layouts only).</summary>
    public ProblemList Unlisted { get; init; } = ProblemList.None;

    /// <summary>CSV rows with an unknown class or an invalid one-hot row, or duplicate image ids.</summary>
    public ProblemList BadRows { get; init; } = ProblemList.None;

    /// <summary>True when something was skipped.</summary>
    public bool HasProblems => Unreadable.Count + MissingImages.Count + Unlisted.Count + BadRows.Count > 0;

    /// <summary>Every skipped file and row, one per line with its kind and reason (for a skipped-files list).</summary>
    public IEnumerable<string> AllProblems() =>
        Unreadable.All.Select(s => $"unreadable: {s}").Concat(MissingImages.All.Select(s => $"missing image: {s}"))
            .Concat(Unlisted.All.Select(s => $"no label: {s}")).Concat(BadRows.All.Select(s => $"invalid row: {s}"));

    /// <summary>One human-readable line per kind of problem found (empty when the data is clean).</summary>
    public IEnumerable<string> ProblemLines()
    {
        if (Unreadable.Count > 0) yield return $"skipped unreadable, corrupt or non-image files: {Unreadable}";
        if (MissingImages.Count > 0) yield return $"CSV rows whose image is missing: {MissingImages}";
        if (Unlisted.Count > 0) yield return $"images with no label (no CSV row, or outside the class folders; skipped): {Unlisted}";
        if (BadRows.Count > 0) yield return $"invalid CSV rows (skipped): {BadRows}";
    }
}
