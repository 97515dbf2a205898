namespace IlgpuVq.Data;

/// <summary>
/// Ranges of the training augmentation (torchvision <c>ColorJitter</c> semantics): brightness, contrast and
/// saturation factors are drawn uniformly from <c>[max(0, 1 − x), 1 + x]</c>, the hue shift from <c>[−Hue, Hue]</c>
/// (fraction of a full turn, at most 0.5). Flips are each applied with probability 1/2.
/// </summary>
public sealed record AugmentOptions
{
    public bool HorizontalFlip { get; init; } = true;
    public bool VerticalFlip { get; init; } = true;
    public float Brightness { get; init; } = 0.2f;
    public float Contrast { get; init; } = 0.2f;
    public float Saturation { get; init; } = 0.2f;
    public float Hue { get; init; } = 0.02f;

    /// <summary>Flips and moderate colour jitter (dermoscopic images have no canonical orientation).</summary>
    public static AugmentOptions Default { get; } = new();

    /// <summary>No augmentation at all.</summary>
    public static AugmentOptions None { get; } = new()
        { HorizontalFlip = false, VerticalFlip = false, Brightness = 0, Contrast = 0, Saturation = 0, Hue = 0 };

    /// <summary>Throws a <see cref="DataError"/> for negative ranges or a hue range above 0.5.</summary>
    public void Validate()
    {
        if (Brightness < 0 || Contrast < 0 || Saturation < 0 || Hue < 0 || Hue > 0.5f)
            throw new DataError($"augmentation ranges must be non-negative and hue at most 0.5 (got brightness {Brightness}, " +
                                $"contrast {Contrast}, saturation {Saturation}, hue {Hue})");
    }
}

/// <summary>The augmentation drawn for one image in one epoch.</summary>
public readonly record struct AugmentParams(bool FlipH, bool FlipV, float Brightness, float Contrast, float Saturation, float Hue)
{
    /// <summary>No change.</summary>
    public static AugmentParams Identity => new(false, false, 1, 1, 1, 0);
}
