using IlgpuVq.Engine.NN;
using IlgpuVq.Engine.Optim;
using IlgpuVq.Engine.Tensors;
using IlgpuVq.Models.Prior;
using IlgpuVq.Models.Training;

namespace IlgpuVq.Models.Evaluation;

/// <summary>
/// A cheap, repeatable quality reading during prior training: a fixed batch of samples (same seed every time,
/// temperature 1) measured against the real test images' features, which are extracted once: the Fréchet distance
/// and, for a class-conditional prior and a classifier, the class consistency.
/// </summary>
public sealed class QualityProbe
{
    readonly IFeatureExtractor extractor;
    readonly FeatureSet test;
    readonly int perClass;
    readonly ulong seed;

    public QualityProbe(IFeatureExtractor extractor, IImageBatchSource testImages, int perClass = 8, ulong seed = 1)
    {
        if (perClass < 2) throw new ArgumentException($"the probe needs at least 2 samples per class (got {perClass})");
        this.extractor = extractor;
        this.perClass = perClass;
        this.seed = seed;
        test = extractor.Extract(testImages);
    }

    /// <summary><c>frechet_distance</c> and (when defined) <c>class_consistency</c> of the fixed sample batch.</summary>
    public Dictionary<string, double> Measure(PixelCnnVqVae model) => Measure(SampleSet.Draw(model, perClass, 1f, seed), model.ImageSize);

    /// <summary>The same readings for any set of samples.</summary>
    public Dictionary<string, double> Measure(SampleSet samples, int imageSize)
    {
        var features = extractor.Extract(new InMemoryBatches(samples.Images, samples.Labels, imageSize, 64));
        var row = new Dictionary<string, double> { ["frechet_distance"] = FrechetDistance.Between(features.Features, test.Features) };
        if (samples.Consistency(features) is { } c) row["class_consistency"] = c;
        return row;
    }
}

/// <summary>
/// A training task with a <see cref="QualityProbe"/> reading added to the metrics of every <c>every</c>-th epoch (and so to
/// metrics.jsonl and the loss plot); everything else is the wrapped task's. <paramref name="sampler"/> gives the sampler
/// over the task's current weights.
/// </summary>
public sealed class QualityProbeTask<TBatch>(ITrainingTask<TBatch> inner, QualityProbe probe, int every, Func<PixelCnnVqVae> sampler) : ITrainingTask<TBatch>
{
    public string Kind => inner.Kind;
    public Module Model => inner.Model;
    public AdamW Optimizer => inner.Optimizer;
    public IReadOnlyList<string> LossNames => inner.LossNames;
    public int BatchesPerEpoch => inner.BatchesPerEpoch;
    public IEnumerable<TBatch> Batches(int epoch, int startBatch) => inner.Batches(epoch, startBatch);
    public int Count(TBatch batch) => inner.Count(batch);
    public (Tensor[] Terms, Tensor Total) Forward(TBatch batch) => inner.Forward(batch);
    public void AfterStep(long step) => inner.AfterStep(step);
    public (Dictionary<string, double> Metrics, double SelectionLoss) Validate() => inner.Validate();
    public string? ProgressDetail() => inner.ProgressDetail();
    public void Figures(string runFolder, int epoch) => inner.Figures(runFolder, epoch);
    public IReadOnlyDictionary<string, object?> Config => new Dictionary<string, object?>(inner.Config) { ["eval_every"] = every };
    public IReadOnlyDictionary<string, string> CheckpointInfo => inner.CheckpointInfo;

    public void AddDerivedMetrics(Dictionary<string, double> row)
    {
        inner.AddDerivedMetrics(row);
        if (row.TryGetValue("epoch", out var epoch) && (int)epoch % Math.Max(1, every) == 0)
            using (var model = sampler())
                foreach (var (k, v) in probe.Measure(model)) row[k] = v;
    }
}
