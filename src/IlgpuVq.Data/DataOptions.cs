namespace IlgpuVq.Data;

/// <summary>Options for <see cref="DatasetLoader.Open"/>.</summary>
public sealed record DataOptions
{
    /// <summary>Default image side for real data.</summary>
    public const int DefaultRealImageSize = 256;

    /// <summary>Default image side for synthetic data.</summary>
    public const int DefaultSyntheticImageSize = 64;

    /// <summary>Default number of synthetic images.</summary>
    public const int DefaultSyntheticCount = 2000;

    /// <summary>Default <see cref="MaxPixels"/>: 80 megapixels (a 10000×8000 photograph).</summary>
    public const long DefaultMaxPixels = 80_000_000;

    /// <summary>Image side in pixels; null means 256 for real data and 64 (or the spec's size) for synthetic data.</summary>
    public int? ImageSize { get; init; }

    /// <summary>The model's total downsampling factor: the image size must be a positive multiple of it.</summary>
    public int Downsample { get; init; } = 1;

    /// <summary>Folder for preprocessing caches; null means <see cref="DefaultCacheDir"/>. Must be outside the data folder.</summary>
    public string? CacheDir { get; init; }

    /// <summary>Turn skipped files and rows (corrupt images, missing images, unlisted images, bad rows) into an error.</summary>
    public bool Strict { get; init; }

    /// <summary>
    /// Images whose header declares more than this many pixels (width × height) are skipped with the reason before any
    /// pixel is decoded (<c>--max-pixels</c>).
    /// </summary>
    public long MaxPixels { get; init; } = DefaultMaxPixels;

    /// <summary>A CSV of labels for a folder in no known layout (<c>--labels</c>); null means auto-detection.</summary>
    public string? LabelsCsv { get; init; }

    /// <summary>
    /// The label column of <see cref="LabelsCsv"/> (its values are the class names), or several one-hot columns (the
    /// column names are the class names), from <c>--label-column NAME[,NAME...]</c>.
    /// </summary>
    public IReadOnlyList<string> LabelColumns { get; init; } = [];

    /// <summary>The image id column of <see cref="LabelsCsv"/> (<c>--id-column</c>); null means its first column.</summary>
    public string? IdColumn { get; init; }

    /// <summary>Seed of the synthetic generator (real data ignores it).</summary>
    public int Seed { get; init; }

    /// <summary>Reports (done, total) while the preprocessing cache is built; called on the building thread.</summary>
    public IProgress<(int done, int total)>? Progress { get; init; }

    /// <summary><c>$XDG_CACHE_HOME/ilgpuvq</c>, else <c>~/.cache/ilgpuvq</c>.</summary>
    public static string DefaultCacheDir
    {
        get
        {
            var xdg = Environment.GetEnvironmentVariable("XDG_CACHE_HOME");
            var root = !string.IsNullOrWhiteSpace(xdg)
                ? xdg
                : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".cache");
            return Path.Combine(root, "ilgpuvq");
        }
    }
}
