namespace IlgpuVq.Engine.Devices;

/// <summary>
/// The one interface between ops and kernel implementations. Ops never launch anything themselves: they ask their device for
/// the launcher of a <see cref="KernelSlot{T}"/> and call it. Two implementations: <see cref="IlgpuKernelBackend"/> (the
/// kernels in <c>kernels/</c> compiled by ILGPU for CUDA, OpenCL or ILGPU's CPU simulator) and
/// <c>Native.NativeCpuBackend</c> (hand-written SIMD C# for the hot kernels, the same kernel bodies run directly on host
/// threads for the rest). Autograd, optimizers and models only see tensors and ops, so they do not change with the backend.
/// </summary>
public interface IKernelBackend
{
    /// <summary><c>ilgpu</c> or <c>native</c>.</summary>
    string Name { get; }
    /// <summary>The launcher for <paramref name="slot"/> (called once per slot and device; the device caches it).</summary>
    T Load<T>(KernelSlot<T> slot) where T : Delegate;
    /// <summary>How <paramref name="slot"/> runs here, for the profiler: <c>ilgpu</c>, <c>native</c> or <c>host</c>.</summary>
    string Implementation<T>(KernelSlot<T> slot) where T : Delegate;
    /// <summary>Threads to pass to a grid-stride launch over <paramref name="work"/> items (any value ≥ 1 is correct).</summary>
    int LaunchThreads(long work);
    /// <summary>Group size for an explicitly grouped launch that would like <paramref name="wanted"/> threads.</summary>
    int GroupSize(int wanted);
    /// <summary>Marks the current point of the queue of work, for the profiler (no synchronization).</summary>
    KernelMark Mark();
    /// <summary>Waits for queued work (a no-op where launches are synchronous).</summary>
    void Synchronize();
}
