namespace IlgpuVq.Models.Classifier;

/// <summary>
/// Architecture of the evaluator classifier (<see cref="ResidualClassifier"/>): a stem convolution of stride
/// <see cref="StemStride"/>, three stages of <see cref="Width"/>, 2·Width and 4·Width channels with
/// <see cref="BlocksPerStage"/> residual blocks each and a stride-2 3×3 convolution between stages, then global
/// average pooling (the 4·Width-dimensional feature space of the sample-quality metrics) and a linear head.
/// </summary>
public sealed record ClassifierConfig
{
    public int NumClasses { get; init; } = 7;
    public int Width { get; init; } = 16;
    public int BlocksPerStage { get; init; } = 1;
    /// <summary>Stride of the stem: a k×k convolution with k = stride (a patch embedding), or 3×3 with padding 1 at stride 1.</summary>
    public int StemStride { get; init; } = 2;

    public int FeatureDim => 4 * Width;

    /// <summary>The stem stride that brings an image to a 16×16 (or smaller, for tiny images: the image's own) first feature map.</summary>
    public static int DefaultStemStride(int imageSize) => Math.Clamp(imageSize / 16, 1, 8);

    public void Validate(int imageSize)
    {
        if (NumClasses < 2) throw new ArgumentException($"the classifier needs at least 2 classes (got {NumClasses})");
        if (Width < 1 || BlocksPerStage < 0) throw new ArgumentException($"width must be ≥ 1 and blocks per stage ≥ 0 (got {Width}, {BlocksPerStage})");
        if (StemStride < 1) throw new ArgumentException($"stem stride must be ≥ 1 (got {StemStride})");
        if (imageSize < 4 * StemStride || imageSize % StemStride != 0)
            throw new ArgumentException($"image size {imageSize} must be a multiple of the stem stride {StemStride} and at least {4 * StemStride}");
    }
}
