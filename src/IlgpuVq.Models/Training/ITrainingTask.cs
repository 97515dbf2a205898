using IlgpuVq.Engine.NN;
using IlgpuVq.Engine.Optim;
using IlgpuVq.Engine.Tensors;

namespace IlgpuVq.Models.Training;

/// <summary>
/// The model-specific half of a training run; <see cref="TrainingLoop{TBatch}"/> is the other half (epochs,
/// metrics, plots, checkpoints, exact resume, NaN guard, interruption).
/// </summary>
public interface ITrainingTask<TBatch>
{
    /// <summary>"vqvae" or "prior": the checkpoint format tag and config.json's <c>model</c>.</summary>
    string Kind { get; }
    Module Model { get; }
    AdamW Optimizer { get; }
    /// <summary>Names of the loss terms <see cref="Forward"/> returns; logged as <c>train_&lt;name&gt;</c>.</summary>
    IReadOnlyList<string> LossNames { get; }
    int BatchesPerEpoch { get; }
    /// <summary>The batches of an epoch from a position; a pure function of (seed, epoch, position).</summary>
    IEnumerable<TBatch> Batches(int epoch, int startBatch);
    int Count(TBatch batch);
    /// <summary>Forward pass of a batch (inside the loop's scope): the loss terms ([1] each) and the total to differentiate.</summary>
    (Tensor[] Terms, Tensor Total) Forward(TBatch batch);
    /// <summary>Work before the forward pass of global step <paramref name="step"/>, inside the step's scope (the VQ-VAE's
    /// codebook initialisation at step 0; a run resumed at step 0 repeats it from the same batch). Nothing by default.</summary>
    void BeforeStep(TBatch batch, long step) { }
    /// <summary>Work after the optimizer step, still inside the step's scope (EMA codebook updates, dead-code restarts).</summary>
    void AfterStep(long step);
    /// <summary>Validation metrics (keys start with <c>val_</c>, plus any others such as perplexity) and the value that picks the best checkpoint.</summary>
    (Dictionary<string, double> Metrics, double SelectionLoss) Validate();
    /// <summary>A short live figure for the progress display, read in the step's scope when the loss is read (none by default).</summary>
    string? ProgressDetail() => null;
    /// <summary>Metrics computed from the row (e.g. bits per dimension from a train NLL); none by default.</summary>
    void AddDerivedMetrics(Dictionary<string, double> row) { }
    /// <summary>A one-line warning about an epoch's metrics (e.g. a collapsed codebook), or null; none by default.</summary>
    string? EpochWarning(IReadOnlyDictionary<string, double> row) => null;
    /// <summary>Figures of an epoch (reconstruction or sample grids).</summary>
    void Figures(string runFolder, int epoch);
    /// <summary>Settings for config.json and scalars for the checkpoint header.</summary>
    IReadOnlyDictionary<string, object?> Config { get; }
    IReadOnlyDictionary<string, string> CheckpointInfo { get; }
}
