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
    /// <summary>
    /// Classifier-free guidance training (Ho &amp; Salimans 2022): the probability with which a training example's label is
    /// replaced by the null class <see cref="NullClass"/> (an extra row of the class-bias tables), so that the one network
    /// also learns the unconditional model that guided sampling pushes away from. 0 (the default, and every checkpoint
    /// written before the setting existed): no null class.
    /// </summary>
    public double LabelDropout { get; init; }

    public bool ClassConditional => NumClasses > 0;
    /// <summary>Whether the class-bias tables have the null-class row that guided sampling conditions on.</summary>
    public bool HasNullClass => ClassConditional && LabelDropout > 0;
    /// <summary>The label of the null class: the row after the real classes.</summary>
    public int NullClass => NumClasses;
    /// <summary>Rows of each class-bias table: the classes, and the null class when <see cref="HasNullClass"/>.</summary>
    public int ClassBiasRows => HasNullClass ? NumClasses + 1 : NumClasses;

    public void Validate()
    {
        if (NumCodes < 2) throw new ArgumentException($"the prior needs K ≥ 2 codes (got {NumCodes})");
        if (Channels < 1 || Layers < 0 || HeadChannels < 1) throw new ArgumentException("prior channels, layers and head channels must be positive");
        if (FirstKernel < 1 || FirstKernel % 2 == 0 || Kernel < 1 || Kernel % 2 == 0) throw new ArgumentException("PixelCNN kernel sizes must be odd");
        if (NumClasses < 0) throw new ArgumentException("number of classes must be ≥ 0");
        if (!(LabelDropout >= 0 && LabelDropout < 1)) throw new ArgumentException($"label dropout must be in [0, 1) (got {LabelDropout})");
    }
}
