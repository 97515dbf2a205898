using IlgpuVq.Engine.Tensors;

namespace IlgpuVq.Models.Training;

/// <summary>
/// One optimisation step of an <see cref="ITrainingTask{TBatch}"/>, the one that <see cref="TrainingLoop{TBatch}"/> runs and
/// that <c>bench step</c>, <c>profile</c> and the demo's time estimate time: <see cref="ITrainingTask{TBatch}.BeforeStep"/>,
/// forward, backward, AdamW, zeroed gradients and <see cref="ITrainingTask{TBatch}.AfterStep"/> (EMA codebook updates,
/// dead-code restarts). Runs inside the caller's <see cref="Engine.Memory.TensorScope"/>.
/// </summary>
public static class TrainingStep
{
    /// <summary>Global step <paramref name="step"/> on <paramref name="batch"/>; the loss terms and the total, valid until the caller's scope ends.</summary>
    public static (Tensor[] Terms, Tensor Total) Run<TBatch>(ITrainingTask<TBatch> task, TBatch batch, long step)
    {
        task.BeforeStep(batch, step);
        var (terms, total) = task.Forward(batch);
        total.Backward();
        task.Optimizer.Step();
        task.Optimizer.ZeroGrad();
        task.AfterStep(step);
        return (terms, total);
    }
}
