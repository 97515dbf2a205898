using IlgpuVq.Models.Prior;

namespace IlgpuVq.Models.Evaluation;

/// <summary>
/// Samples drawn for measurement: <c>perClass</c> per class, class by class, from a class-conditional prior, or
/// <c>perClass</c> in all from an unconditional one (class 0, label −1). Images NCHW in [−1, 1], code maps, classes.
/// </summary>
public sealed record SampleSet(float[] Images, int[] Codes, int[] Classes, bool Conditional)
{
    public int Count => Classes.Length;

    /// <summary>The label each sample carries into feature extraction: its class, or −1 when unconditional.</summary>
    public int[] Labels => Conditional ? Classes : Enumerable.Repeat(-1, Classes.Length).ToArray();

    public static SampleSet Draw(PixelCnnVqVae model, int perClass, float temperature, ulong seed, float guidance = 1f)
    {
        bool conditional = model.Prior.Config.ClassConditional && model.ClassNames.Count > 0;
        var classes = conditional
            ? Enumerable.Range(0, model.ClassNames.Count * perClass).Select(i => i / perClass).ToArray()
            : new int[perClass];
        var (images, codes) = model.Sample(classes.Length, classes, temperature, seed, guidance: guidance);
        return new SampleSet(images, codes, classes, conditional);
    }

    /// <summary>The share of samples the extractor classifies as the class they were drawn for (null when unconditional or not classifying).</summary>
    public double? Consistency(FeatureSet features) => Conditional && features.Predicted is { } p
        ? Enumerable.Range(0, Count).Count(i => p[i] == Classes[i]) / (double)Count
        : null;
}
