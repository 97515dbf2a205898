using System.Globalization;
using System.Text;
using IlgpuVq.Models.Classifier;
using IlgpuVq.Models.Evaluation;

namespace IlgpuVq.Cli.Commands;

/// <summary>The sample-quality section of the demo's summary.md: every number of evaluation.json beside its floor or ceiling, what it means, and the target it is held to.</summary>
public static class SampleQualitySummary
{
    public static void Append(StringBuilder s, ClassificationReport classifier, SampleEvaluation q)
    {
        string F(double? v, string format = "0.000") => v is { } x ? x.ToString(format, CultureInfo.InvariantCulture) : "n/a";
        string Met(bool ok) => ok ? "met" : "**missed**";
        s.AppendLine("## Sample quality (measured: [`evaluation/evaluation.json`](evaluation/evaluation.json))").AppendLine();
        s.AppendLine($"Evaluator classifier ([`classifier/`](classifier/confusion_matrix.png)) on the {classifier.Images} real test images: accuracy {F(classifier.Accuracy)}, " +
                     $"balanced accuracy {F(classifier.BalancedAccuracy)} (always answering the majority class: accuracy {F(classifier.MajorityShare)}, balanced 1/{classifier.ClassNames.Count}). " +
                     $"{q.Samples} samples ({q.Options.Count} per class, temperature {F(q.Options.Temperature, "0.##")}{(IlgpuVq.Models.Prior.PriorSampling.Guided(q.Options.Guidance) ? $", classifier-free guidance {F(q.Options.Guidance, "0.##")}" : "")}) against {q.TestImages} test images " +
                     $"in the feature space of the {q.FeatureSpace}; floors use {q.FloorImages} random real training images.").AppendLine();
        s.AppendLine("| metric | samples | real floor / ceiling | target | what it means |").AppendLine("|---|---|---|---|---|");
        s.AppendLine($"| Fréchet distance | {F(q.FrechetDistance)} | {F(q.FrechetFloor)} | ≤ 2 × floor: {Met(q.FrechetDistance <= 2 * q.FrechetFloor)} | " +
                     "distance between Gaussian fits of sample and test-image features; the floor is what as many real images score, so a value near it means the samples are as close to the test set as real data |");
        s.AppendLine($"| Fréchet distance of VQ-VAE reconstructions | {F(q.FrechetReconstruction)} | {F(q.FrechetFloor)} | – | " +
                     "the floor images encoded and decoded by the VQ-VAE: the part of the gap that the codebook and decoder cause, whatever the prior does |");
        s.AppendLine($"| KID | {F(q.Kid, "0.0000")} | {F(q.KidFloor, "0.0000")} | ≤ 2 × floor + 0.01: {Met(q.Kid <= 2 * q.KidFloor + 0.01)} | " +
                     "unbiased squared MMD with a cubic kernel: the same question as the Fréchet distance, less biased with few samples (0 for a perfect generator, in expectation) |");
        s.AppendLine($"| precision | {F(q.Precision)} | {F(q.PrecisionFloor)} | ≥ 0.5: {Met(q.Precision >= 0.5)} | share of samples inside the manifold of real test features (k = 3): samples that look real |");
        s.AppendLine($"| recall | {F(q.Recall)} | {F(q.RecallFloor)} | ≥ 0.5: {Met(q.Recall >= 0.5)} | share of test images inside the manifold of the samples: how much of the real variety the samples cover |");
        s.AppendLine($"| class consistency | {F(q.ClassConsistency)} | {F(q.ClassifierAccuracy)} (classifier's balanced accuracy) | ≥ 0.9 × ceiling: " +
                     $"{(q.ClassConsistency is { } cc && q.ClassifierAccuracy is { } acc ? Met(cc >= 0.9 * acc) : "n/a")} | share of samples the classifier puts in the class they were drawn for |");
        s.AppendLine($"| class consistency of VQ-VAE reconstructions | {F(q.ClassConsistencyReconstruction)} | – | – | the same share for real training images encoded and decoded by the VQ-VAE: what a perfect prior could reach through this codebook and decoder |");
        s.AppendLine($"| memorisation | {F(q.Memorisation)} | 1 (unseen real images) | ≥ 0.8: {Met(q.Memorisation >= 0.8)} | " +
                     "median distance of a sample to its nearest training image over the same for test images; well below 1 means the prior copies training images ([`nearest.png`](evaluation/nearest.png)) |");
        s.AppendLine($"| distinct code maps (lowest class share) / mean Hamming distance | {F(q.Codes.DistinctShare.Values.Min())} / {F(q.Codes.MeanHamming)} | 1 / – | – | " +
                     $"share of different code maps among a class's samples and the mean share of the {q.Codes.Positions} positions where two samples' codes differ; low values mean the prior collapsed |");
        s.AppendLine();
    }
}
