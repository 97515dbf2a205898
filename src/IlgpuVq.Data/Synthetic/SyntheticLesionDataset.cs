namespace IlgpuVq.Data;

/// <summary>
/// The embedded default dataset: synthetic lesions generated in memory (no disk cache), with HAM10000's class
/// names and imbalance and lesion groups. Opened by <c>--data synthetic[:count[:size]]</c>.
/// </summary>
public sealed class SyntheticLesionDataset : ILesionDataset
{
    /// <summary>Above this many bytes images are drawn on demand instead of being kept in memory.</summary>
    public const long MaxInMemoryBytes = 1L << 30;

    readonly SyntheticCatalog _catalog;
    readonly byte[]? _pixels;
    readonly int _seed;

    /// <summary>Generates <paramref name="count"/> images of <paramref name="imageSize"/> pixels (in parallel, deterministic).</summary>
    public SyntheticLesionDataset(int count, int imageSize, int seed)
    {
        if (count <= 0) throw new DataError($"a synthetic dataset needs at least one image, not {count}");
        if (imageSize <= 0) throw new DataError($"image size must be positive, not {imageSize}");
        Count = count;
        ImageSize = imageSize;
        _seed = seed;
        _catalog = SyntheticCatalog.Create(count, seed);
        Report = new DatasetReport { Layout = DatasetLayout.Synthetic, Source = $"synthetic:{count}:{imageSize} (seed {seed})", Cache = CacheStatus.None };
        var bytes = this.ImageBytes();
        if ((long)count * bytes <= MaxInMemoryBytes)
        {
            var pixels = new byte[count * bytes];
            Parallel.For(0, count, i => Draw(i, pixels.AsSpan(i * bytes, bytes)));
            _pixels = pixels;
        }
    }

    public int Count { get; }
    public int ImageSize { get; }
    public IReadOnlyList<string> ClassNames => LesionClasses.Names;
    public bool HasLabels => true;
    public DatasetReport Report { get; }

    /// <summary>Classes, lesions and views of the images.</summary>
    public SyntheticCatalog Catalog => _catalog;

    public int Label(int i) => _catalog.Labels[i];
    public string? GroupId(int i) => $"SYN_{_catalog.Lesions[i]:D7}";
    public string ImageId(int i) => $"SYN_IMG_{i:D7}";

    public void ReadImage(int i, Span<byte> rgbHWC)
    {
        if ((uint)i >= (uint)Count) throw new ArgumentOutOfRangeException(nameof(i));
        var bytes = this.ImageBytes();
        if (_pixels is not null) _pixels.AsSpan(i * bytes, bytes).CopyTo(rgbHWC);
        else Draw(i, rgbHWC[..bytes]);
    }

    void Draw(int i, Span<byte> rgb) =>
        SyntheticLesions.Render(_seed, _catalog.Labels[i], _catalog.Lesions[i], i, ImageSize, ImageSize, rgb);

    public void Dispose() { }
}
