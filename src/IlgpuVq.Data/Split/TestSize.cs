using System.Globalization;

namespace IlgpuVq.Data;

/// <summary>
/// The size of the test set: a number of images (<c>1000</c>) or a fraction (<c>0.1</c> or <c>10%</c>).
/// The default is 1000 images, as in the source report's 9015/1000 split of HAM10000, capped at 10 % for datasets
/// of fewer than 10 000 images so that small (e.g. synthetic) datasets keep most images for training.
/// </summary>
public readonly record struct TestSize
{
    TestSize(int? images, double? fraction, bool isDefault)
    {
        ImagesRequested = images;
        Fraction = fraction;
        IsDefault = isDefault;
    }

    /// <summary>Requested number of images, when given as a count.</summary>
    public int? ImagesRequested { get; }

    /// <summary>Requested fraction, when given as one.</summary>
    public double? Fraction { get; }

    /// <summary>True for <see cref="Default"/>.</summary>
    public bool IsDefault { get; }

    /// <summary>1000 images, at most 10 % of the data.</summary>
    public static TestSize Default => new(1000, null, true);

    /// <summary>Exactly n images.</summary>
    public static TestSize Images(int n) => n >= 0 ? new(n, null, false) : throw new DataError($"test size must not be negative, not {n}");

    /// <summary>A fraction in [0, 1).</summary>
    public static TestSize Of(double fraction) =>
        fraction is >= 0 and < 1 ? new(null, fraction, false) : throw new DataError($"a test fraction must be in [0, 1), not {fraction}");

    /// <summary>Parses <c>N</c>, <c>0.F</c>, <c>P%</c> or <c>default</c>.</summary>
    public static TestSize Parse(string text)
    {
        var s = (text ?? "").Trim();
        if (s.Length == 0 || s.Equals("default", StringComparison.OrdinalIgnoreCase)) return Default;
        if (s.EndsWith('%') && double.TryParse(s[..^1], NumberStyles.Float, CultureInfo.InvariantCulture, out var pct)) return Of(pct / 100);
        if (int.TryParse(s, NumberStyles.None, CultureInfo.InvariantCulture, out var n)) return Images(n);
        if (double.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out var f) && f < 1) return Of(f);
        throw new DataError($"--test-size must be a number of images (1000), a fraction (0.1) or a percentage (10%), not '{text}'");
    }

    /// <summary>Number of test images for a dataset of <paramref name="count"/> images; throws when it leaves no training image.</summary>
    public int Resolve(int count)
    {
        var n = IsDefault ? Math.Min(ImagesRequested!.Value, count < 10_000 ? count / 10 : int.MaxValue)
              : ImagesRequested ?? (int)Math.Round(Fraction!.Value * count, MidpointRounding.AwayFromZero);
        if (n >= count)
            throw new DataError($"test size {n} is not smaller than the data ({count} images); at least one training image is needed");
        return n;
    }

    public override string ToString() =>
        IsDefault ? "default (1000, at most 10 %)" : ImagesRequested is { } n ? n.ToString(CultureInfo.InvariantCulture) : $"{Fraction!.Value:0.###}";
}
