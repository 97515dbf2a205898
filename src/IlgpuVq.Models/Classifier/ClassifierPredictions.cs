using IlgpuVq.Engine.Autograd;
using IlgpuVq.Engine.Memory;
using IlgpuVq.Engine.Ops;
using IlgpuVq.Engine.Tensors;
using IlgpuVq.Models.Training;

namespace IlgpuVq.Models.Classifier;

/// <summary>
/// The classifier's view of a set of images, on the host: penultimate features (row-major [Count, Dim]), the predicted
/// class of each image (argmax of the logits, ties to the lowest class), the labels of the source (−1 when unlabeled)
/// and the mean cross-entropy over the labelled images (NaN when there are none).
/// </summary>
public sealed record ClassifierPredictions(float[] Features, int Dim, int[] Predicted, int[] Labels, double MeanLoss)
{
    public int Count => Predicted.Length;

    /// <summary>Runs the classifier (no grad, one scope per batch) over every image of the source, in order.</summary>
    public static ClassifierPredictions Run(ResidualClassifier model, IImageBatchSource images)
    {
        int dim = model.Config.FeatureDim;
        var features = new List<float>(images.Count * dim);
        var predicted = new List<int>(images.Count);
        var labels = new List<int>(images.Count);
        double lossSum = 0;
        int labelled = 0;
        using (GradMode.NoGrad())
            foreach (var batch in images.Epoch(0, 0))
            {
                using var scope = new TensorScope();
                var x = Tensor.FromArray(model.Device, batch.Images, batch.Count, 3, batch.ImageSize, batch.ImageSize);
                var output = model.Forward(x);
                features.AddRange(output.Features.ToArray());
                predicted.AddRange(Rng.Argmax(output.Logits).ToIntArray());
                labels.AddRange(batch.Labels);
                int valid = batch.Labels.Count(l => l >= 0 && l < model.Config.NumClasses);
                if (valid > 0)
                {
                    // Out-of-range targets are ignored by the loss but count in its mean: rescale to the labelled images.
                    lossSum += CrossEntropy.Mean(output.Logits, Tensor.FromIntArray(model.Device, batch.Labels, batch.Count)).Item() * batch.Count;
                    labelled += valid;
                }
            }
        return new ClassifierPredictions([.. features], dim, [.. predicted], [.. labels], labelled == 0 ? double.NaN : lossSum / labelled);
    }
}
