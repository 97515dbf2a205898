namespace IlgpuVq.Models.VqVae;

/// <summary>
/// Architecture and quantizer settings of a VQ-VAE. <see cref="Validate"/> rejects impossible settings
/// before any work starts.
/// </summary>
public sealed record VqVaeConfig
{
    /// <summary>Channels after the first stride-2 convolution: Hidden/2, then Hidden.</summary>
    public int Hidden { get; init; } = 128;
    public int ResidualHidden { get; init; } = 32;
    public int ResidualBlocks { get; init; } = 2;
    /// <summary>Embedding (code vector) dimension D.</summary>
    public int EmbeddingDim { get; init; } = 64;
    /// <summary>Number of codes K.</summary>
    public int NumCodes { get; init; } = 512;
    /// <summary>Spatial downsampling factor of the encoder: 4 (two stride-2 convolutions) or 8 (three).</summary>
    public int Downsample { get; init; } = 4;
    /// <summary>Commitment cost β.</summary>
    public float Beta { get; init; } = 0.25f;
    /// <summary>Update the codebook by exponential moving averages instead of the codebook loss (the default, as in
    /// Sonnet's VectorQuantizerEMA and lucidrains' vector-quantize-pytorch; <c>--no-ema</c> turns it off).</summary>
    public bool Ema { get; init; } = true;
    public float EmaDecay { get; init; } = 0.99f;
    public float EmaEpsilon { get; init; } = 1e-5f;
    /// <summary>Restart codes unused for this many steps from random encoder outputs (0 = never). The default, 50, is a
    /// code that no position of 50 batches (≥ 50·K latents in every preset) chose: dead rather than rare, and restarted
    /// within the first epoch of a 2000-image folder (62 steps of 32).</summary>
    public int DeadCodeWindow { get; init; } = DefaultDeadCodeWindow;
    public const int DefaultDeadCodeWindow = 50;
    /// <summary>Before the first step, set the codebook by k-means++ seeding and <see cref="KMeansIterations"/> Lloyd
    /// iterations on the encoder outputs of the first batch, so the codes start where the latents are.</summary>
    public bool KMeansInit { get; init; } = true;
    public int KMeansIterations { get; init; } = 10;
    /// <summary>Factorised codes (ViT-VQGAN): search in a space of this many dimensions, reached by a 1×1 projection
    /// D → LookupDim before the quantizer and back to D after it; 0 = search in D itself.</summary>
    public int LookupDim { get; init; }

    /// <summary>The dimension the codebook lives in: <see cref="LookupDim"/> when factorised, else D.</summary>
    public int CodeDim => LookupDim > 0 ? LookupDim : EmbeddingDim;

    public int DownsampleSteps => Downsample == 8 ? 3 : 2;

    public void Validate(int imageSize)
    {
        if (NumCodes < 2) throw new ArgumentException($"number of codes K must be at least 2 (got {NumCodes})");
        if (EmbeddingDim < 1) throw new ArgumentException($"embedding dimension D must be at least 1 (got {EmbeddingDim})");
        if (Downsample is not (4 or 8)) throw new ArgumentException($"downsample must be 4 or 8 (got {Downsample})");
        if (Hidden < 2 || Hidden % 2 != 0) throw new ArgumentException($"hidden channels must be an even number ≥ 2 (got {Hidden})");
        if (ResidualHidden < 1 || ResidualBlocks < 0) throw new ArgumentException("residual hidden channels must be ≥ 1 and residual blocks ≥ 0");
        if (Beta < 0) throw new ArgumentException($"commitment cost β must be ≥ 0 (got {Beta})");
        if (DeadCodeWindow < 0) throw new ArgumentException($"dead-code window must be ≥ 0 (got {DeadCodeWindow})");
        if (KMeansIterations < 0) throw new ArgumentException($"k-means iterations must be ≥ 0 (got {KMeansIterations})");
        if (LookupDim < 0) throw new ArgumentException($"lookup dimension must be ≥ 0 (got {LookupDim})");
        if (Ema && (EmaDecay <= 0 || EmaDecay >= 1)) throw new ArgumentException($"EMA decay must be in (0, 1) (got {EmaDecay})");
        if (imageSize < Downsample || imageSize % Downsample != 0)
            throw new ArgumentException($"image size {imageSize} is not a positive multiple of the downsampling factor {Downsample}");
    }
}
