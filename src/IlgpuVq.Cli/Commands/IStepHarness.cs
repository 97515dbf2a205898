using IlgpuVq.Engine.Devices;

namespace IlgpuVq.Cli.Commands;

/// <summary>One model's training step on seeded synthetic inputs, timed by <c>bench step</c> and <c>profile</c>.</summary>
public interface IStepHarness : IDisposable
{
    ComputeDevice Device { get; }
    /// <summary>Items (images or code maps) per step.</summary>
    int Batch { get; }
    /// <summary>What one step is, e.g. <c>VQ-VAE batch 32x3x64x64</c>.</summary>
    string Describe { get; }
    /// <summary>Forward, backward and AdamW on one batch; waits for the device at the end.</summary>
    void Step();
}
