using IlgpuVq.Engine.Devices;
using IlgpuVq.Engine.Memory;
using IlgpuVq.Models.Training;

namespace IlgpuVq.Cli.Commands;

/// <summary>
/// A training task's own step (<see cref="TrainingStep"/>: forward, backward, AdamW and the task's after-step work such as
/// the VQ-VAE's EMA update and dead-code restarts) on one fixed seeded batch, timed by <c>bench step</c>, <c>profile</c> and
/// the demo's estimate. Built by <see cref="VqVaeStepHarness"/> and <see cref="PriorStepHarness"/>; owns the task.
/// </summary>
public sealed class StepHarness : IDisposable
{
    readonly Action<long> step;
    readonly IDisposable owned;
    long steps;

    StepHarness(ComputeDevice device, int batch, string describe, string unit, Action<long> step, IDisposable owned)
    {
        Device = device;
        Batch = batch;
        Describe = describe;
        Unit = unit;
        this.step = step;
        this.owned = owned;
    }

    /// <summary>A harness running <paramref name="task"/>'s step on <paramref name="batch"/>; <paramref name="owned"/> is disposed with it.
    /// Step 0, which does the task's one-off work (the VQ-VAE's k-means codebook initialisation), runs here: it is not a
    /// steady-state step, and the temporaries it leaves in the pool would shift the first timed steps' allocations.</summary>
    public static StepHarness For<TBatch>(ComputeDevice device, ITrainingTask<TBatch> task, TBatch batch, string describe, string unit, IDisposable owned)
    {
        var harness = new StepHarness(device, task.Count(batch), describe, unit, s => TrainingStep.Run(task, batch, s), owned);
        harness.Step();
        return harness;
    }

    public ComputeDevice Device { get; }
    /// <summary>Items (images or code maps) per step.</summary>
    public int Batch { get; }
    /// <summary>What one step is, e.g. <c>VQ-VAE batch 32x3x64x64</c>.</summary>
    public string Describe { get; }
    /// <summary>What an item is: <c>images</c> or <c>code maps</c>.</summary>
    public string Unit { get; }

    /// <summary>The next global step (1, 2, …; step 0 ran when the harness was built); waits for the device at the end.</summary>
    public void Step()
    {
        using (new TensorScope()) step(steps++);
        Device.Synchronize();
    }

    public void Dispose() => owned.Dispose();
}
