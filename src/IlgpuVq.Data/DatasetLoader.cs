using System.Globalization;

namespace IlgpuVq.Data;

/// <summary>Opens a dataset from <c>--data</c>: a folder in a recognised layout, or <c>synthetic[:count[:size]]</c>.</summary>
public static class DatasetLoader
{
    /// <summary>
    /// Opens a dataset. A folder is detected as HAM10000, ISIC 2018 Task 3, class folders (ImageFolder) or a plain
    /// (unlabeled) image folder, or labelled by <see cref="DataOptions.LabelsCsv"/>; its images are decoded
    /// and resized once into the preprocessing cache under <see cref="DataOptions.CacheDir"/> and memory-mapped; nothing
    /// is written in the data folder. <c>synthetic</c>, <c>synthetic:COUNT</c> and <c>synthetic:COUNT:SIZE</c> generate
    /// lesions in memory. Throws <see cref="DataError"/> for every user error.
    /// </summary>
    public static ILesionDataset Open(string dataSpec, DataOptions opts)
    {
        ArgumentNullException.ThrowIfNull(opts);
        if (opts.MaxPixels <= 0) throw new DataError($"--max-pixels must be positive, not {opts.MaxPixels}");
        if (opts.Downsample <= 0) throw new DataError($"the model's downsampling factor must be positive, not {opts.Downsample}");
        var spec = (dataSpec ?? "").Trim();
        if (spec.Length == 0) throw new DataError("--data is empty: give a folder or synthetic[:count[:size]]");
        if (IsSynthetic(spec)) return OpenSynthetic(spec, opts);
        return OpenFolder(spec, opts);
    }

    /// <summary>True for <c>synthetic</c> and <c>synthetic:...</c> specs.</summary>
    public static bool IsSynthetic(string spec) =>
        spec.Equals("synthetic", StringComparison.OrdinalIgnoreCase) || spec.StartsWith("synthetic:", StringComparison.OrdinalIgnoreCase);

    /// <summary>Parses <c>synthetic[:count[:size]]</c> into (count, size or null).</summary>
    public static (int Count, int? Size) ParseSyntheticSpec(string spec)
    {
        var parts = spec.Trim().Split(':');
        if (!parts[0].Equals("synthetic", StringComparison.OrdinalIgnoreCase) || parts.Length > 3)
            throw new DataError($"'{spec}' is not a synthetic spec: use synthetic, synthetic:COUNT or synthetic:COUNT:SIZE");
        var count = DataOptions.DefaultSyntheticCount;
        int? size = null;
        if (parts.Length >= 2 && (!int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out count) || count <= 0))
            throw new DataError($"synthetic image count must be a positive integer, not '{parts[1]}' (use synthetic:COUNT[:SIZE])");
        if (parts.Length == 3)
        {
            if (!int.TryParse(parts[2], NumberStyles.None, CultureInfo.InvariantCulture, out var s) || s <= 0)
                throw new DataError($"synthetic image size must be a positive integer, not '{parts[2]}' (use synthetic:COUNT:SIZE)");
            size = s;
        }
        return (count, size);
    }

    /// <summary>Throws unless the size is a positive multiple of the model's downsampling factor.</summary>
    public static void ValidateImageSize(int size, int downsample)
    {
        if (size <= 0 || downsample <= 0 || size % downsample != 0)
            throw new DataError($"image size {size} must be a positive multiple of the model's downsampling factor {downsample} " +
                                $"(e.g. {Math.Max(downsample, (Math.Max(size, 1) + downsample - 1) / Math.Max(downsample, 1) * downsample)})");
    }

    static ILesionDataset OpenSynthetic(string spec, DataOptions opts)
    {
        if (opts.LabelsCsv is not null || opts.LabelColumns.Count > 0 || opts.IdColumn is not null)
            throw new DataError($"--labels, --label-column and --id-column label a data folder; --data {spec} has its own seven classes");
        var (count, specSize) = ParseSyntheticSpec(spec);
        if (specSize is { } s && opts.ImageSize is { } o && s != o)
            throw new DataError($"--data {spec} asks for {s}px images but --image-size is {o}; give the size once");
        var size = specSize ?? opts.ImageSize ?? DataOptions.DefaultSyntheticImageSize;
        ValidateImageSize(size, opts.Downsample);
        return new SyntheticLesionDataset(count, size, opts.Seed);
    }

    static ILesionDataset OpenFolder(string folder, DataOptions opts)
    {
        if (File.Exists(folder)) throw new DataError($"--data {folder} is a file; give the dataset folder or synthetic[:count[:size]]");
        if (!Directory.Exists(folder)) throw new DataError($"data folder {folder} does not exist (give a folder or synthetic[:count[:size]])");
        var root = Path.TrimEndingDirectorySeparator(Path.GetFullPath(folder));
        var size = opts.ImageSize ?? DataOptions.DefaultRealImageSize;
        ValidateImageSize(size, opts.Downsample);
        var cacheDir = Path.GetFullPath(opts.CacheDir ?? DataOptions.DefaultCacheDir);
        if (SourceFiles.IsSameOrInside(cacheDir, root))
            throw new DataError($"cache directory {cacheDir} is inside the data folder {root}; nothing may be written there, choose another --cache-dir");

        var catalog = SourceCatalog.Load(root, cacheDir, opts);
        var report = new DatasetReport
        {
            Layout = catalog.Layout, Source = root, GivenSplit = catalog.GivenSplit,
            Labels = opts.LabelsCsv is null ? null : new LabelsSpec(Path.GetFullPath(opts.LabelsCsv), opts.LabelColumns, opts.IdColumn),
            MissingImages = catalog.MissingImages, Unlisted = catalog.Unlisted, BadRows = catalog.BadRows,
        };
        if (catalog.Entries.Count == 0)
            throw new DataError(catalog.Layout switch
            {
                DatasetLayout.UnlabeledFolder => $"no images found in {root}; {LayoutDetector.ExpectedLayouts}",
                DatasetLayout.ImageFolder => $"no image in a class folder of {root}; images outside: {catalog.Unlisted}",
                _ => $"no image of {string.Join(", ", catalog.CsvFiles.Select(Path.GetFileName))} was found under {root} " +
                     $"(rows whose image is missing: {catalog.MissingImages})",
            });
        if (opts.Strict) ThrowIfProblems(report with { Unreadable = ProblemList.From(catalog.Skipped) });

        var dataset = PreprocessCache.OpenOrBuild(catalog, size, opts.MaxPixels, cacheDir, report, opts.Progress);
        try
        {
            if (opts.Strict) ThrowIfProblems(dataset.Report);
            if (dataset.Count == 0)
                throw new DataError($"no readable image in {root}: all {catalog.Entries.Count} failed to decode, e.g. {dataset.Report.Unreadable}");
            return dataset;
        }
        catch
        {
            dataset.Dispose();
            throw;
        }
    }

    static void ThrowIfProblems(DatasetReport report)
    {
        if (report.HasProblems)
            throw new DataError($"--strict: problems in {report.Source}: {string.Join("; ", report.ProblemLines())}");
    }
}
