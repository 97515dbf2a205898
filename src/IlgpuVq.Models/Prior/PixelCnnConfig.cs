namespace IlgpuVq.Models.Prior;

/// <summary>Settings of the Gated PixelCNN prior over a grid of VQ-VAE codes.</summary>
public sealed record PixelCnnConfig
{
    /// <summary>Number of codes K (from the VQ-VAE).</summary>
    public int NumCodes { get; init; } = 512;
    /// <summary>Channels of both stacks (C); gates run on 2C.</summary>
    public int Channels { get; init; } = 64;
    /// <summary>Gated layers after the first (mask A, 7×7) layer; each is 3×3 with mask B.</summary>
    public int Layers { get; init; } = 15;
    public int FirstKernel { get; init; } = 7;
    public int Kernel { get; init; } = 3;
    /// <summary>Hidden channels of the 1×1 → ReLU → 1×1 head.</summary>
    public int HeadChannels { get; init; } = 256;
    /// <summary>Number of classes for the per-class gate bias; 0 = unconditional.</summary>
    public int NumClasses { get; init; }

    public bool ClassConditional => NumClasses > 0;

    public void Validate()
    {
        if (NumCodes < 2) throw new ArgumentException($"the prior needs K ≥ 2 codes (got {NumCodes})");
        if (Channels < 1 || Layers < 0 || HeadChannels < 1) throw new ArgumentException("prior channels, layers and head channels must be positive");
        if (FirstKernel < 1 || FirstKernel % 2 == 0 || Kernel < 1 || Kernel % 2 == 0) throw new ArgumentException("PixelCNN kernel sizes must be odd");
        if (NumClasses < 0) throw new ArgumentException("number of classes must be ≥ 0");
    }
}
