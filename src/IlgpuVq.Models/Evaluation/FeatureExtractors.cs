using IlgpuVq.Engine.Autograd;
using IlgpuVq.Engine.Memory;
using IlgpuVq.Engine.Ops;
using IlgpuVq.Engine.Tensors;
using IlgpuVq.Models.Classifier;
using IlgpuVq.Models.Training;
using IlgpuVq.Models.VqVae;

namespace IlgpuVq.Models.Evaluation;

/// <summary>Feature vectors of a set of images (in double, for the host-side metrics) and, when the extractor classifies, the predicted class of each.</summary>
public sealed record FeatureSet(double[][] Features, int[]? Predicted, int[] Labels)
{
    public int Count => Features.Length;

    /// <summary>The rows at the given indices.</summary>
    public double[][] Rows(IEnumerable<int> indices) => indices.Select(i => Features[i]).ToArray();
}

/// <summary>The feature space of the sample-quality metrics.</summary>
public interface IFeatureExtractor
{
    /// <summary>What the features are, for evaluation.json.</summary>
    string Description { get; }
    int ImageSize { get; }
    /// <summary>Whether <see cref="Extract"/> also predicts classes (class consistency, classifier accuracy).</summary>
    bool Classifies { get; }
    FeatureSet Extract(IImageBatchSource images);
}

/// <summary>The evaluator classifier's penultimate layer (after global average pooling) and its predictions.</summary>
public sealed class ClassifierFeatures(ResidualClassifier classifier, int imageSize) : IFeatureExtractor
{
    public string Description => $"classifier penultimate layer ({classifier.Config.FeatureDim}-d, after global average pooling)";
    public int ImageSize => imageSize;
    public bool Classifies => true;

    public FeatureSet Extract(IImageBatchSource images)
    {
        var p = ClassifierPredictions.Run(classifier, images);
        var rows = new double[p.Count][];
        for (int i = 0; i < rows.Length; i++) rows[i] = Array.ConvertAll(p.Features[(i * p.Dim)..((i + 1) * p.Dim)], v => (double)v);
        return new FeatureSet(rows, p.Predicted, p.Labels);
    }
}

/// <summary>
/// The fallback for unlabeled data, where no classifier can be trained: the VQ-VAE encoder's output before
/// quantization, globally average-pooled to D dimensions. No class predictions.
/// </summary>
public sealed class EncoderFeatures(VqVaeModel vqvae, int imageSize) : IFeatureExtractor
{
    public string Description => $"VQ-VAE encoder latents, globally average-pooled ({vqvae.Config.EmbeddingDim}-d; no classifier)";
    public int ImageSize => imageSize;
    public bool Classifies => false;

    public FeatureSet Extract(IImageBatchSource images)
    {
        var rows = new List<double[]>();
        var labels = new List<int>();
        int d = vqvae.Config.EmbeddingDim;
        using (GradMode.NoGrad())
            foreach (var batch in images.Epoch(0, 0))
            {
                using var scope = new TensorScope();
                var x = Tensor.FromArray(vqvae.Device, batch.Images, batch.Count, 3, batch.ImageSize, batch.ImageSize);
                var f = Pooling.GlobalAverage(vqvae.Encoder.Forward(x)).ToArray();
                for (int i = 0; i < batch.Count; i++) rows.Add(Array.ConvertAll(f[(i * d)..((i + 1) * d)], v => (double)v));
                labels.AddRange(batch.Labels);
            }
        return new FeatureSet([.. rows], null, [.. labels]);
    }
}
