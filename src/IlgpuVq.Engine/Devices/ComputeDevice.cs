using System.Collections.Concurrent;
using ILGPU.Runtime;
using IlgpuVq.Engine.Memory;

namespace IlgpuVq.Engine.Devices;

/// <summary>
/// An opened accelerator with its caching allocator and its loaded kernels. All work is queued on the
/// accelerator's default stream; nothing here synchronizes except reads back to the host.
/// </summary>
public sealed class ComputeDevice
{
    readonly ConcurrentDictionary<object, Delegate> kernels = new();
    readonly ConcurrentDictionary<object, Delegate> profiled = new();

    internal ComputeDevice(string name, Accelerator accelerator, IKernelBackend? backend = null)
    {
        Name = name;
        Accelerator = accelerator;
        Backend = backend ?? new IlgpuKernelBackend(accelerator);
        Pool = new BufferPool(accelerator);
    }

    /// <summary>The user-facing name, e.g. <c>cpu</c>, <c>cpu-sim:nvidia</c>, <c>cuda:0</c>.</summary>
    public string Name { get; }
    /// <summary>
    /// The ILGPU accelerator that owns this device's memory (and, with the ILGPU backend, runs its kernels). The native CPU
    /// backend keeps its tensors in the host memory of an ILGPU CPU accelerator, so tensors, copies and checkpoints are the
    /// same on every backend.
    /// </summary>
    public Accelerator Accelerator { get; }
    /// <summary>What runs this device's kernels.</summary>
    public IKernelBackend Backend { get; }
    /// <summary>True for the native SIMD CPU backend (<c>cpu</c>).</summary>
    public bool IsNative => Backend is Native.NativeCpuBackend;
    /// <summary>The caching allocator every tensor on this device draws from.</summary>
    public BufferPool Pool { get; }
    /// <summary>Threads per warp on this accelerator (never assume 32).</summary>
    public int WarpSize => Accelerator.WarpSize;
    /// <summary>The largest group size this accelerator supports.</summary>
    public int MaxGroupSize => Accelerator.MaxNumThreadsPerGroup;
    /// <summary>
    /// How many threads to launch for a grid-stride kernel over <paramref name="work"/> items (every kernel loops
    /// <c>for (i = thread; i &lt; work; i += threads)</c>, so any count ≥ 1 is correct; this only decides speed):
    /// min(<paramref name="work"/>, <see cref="ThreadCapacity"/>), at least 1. Ops launch through <see cref="GridStrideLaunch"/>.
    /// </summary>
    public int LaunchWidth(long work) => Backend.LaunchThreads(work);

    /// <summary>
    /// The most threads one launch runs at once (the backend's resident-thread policy, <see cref="IlgpuKernelBackend.LaunchThreads"/>;
    /// 1 on the native backend, which partitions work itself). Ops plan by it: batch chunks, partial sums and group counts.
    /// </summary>
    public long ThreadCapacity => Backend.LaunchThreads(long.MaxValue);

    /// <summary>Group size for an explicitly grouped kernel that would like <paramref name="wanted"/> threads per group
    /// (it must be correct for any size); see <see cref="IlgpuKernelBackend.GroupSize"/>.</summary>
    public int GroupSize(int wanted) => Backend.GroupSize(wanted);

    /// <summary>When set, every kernel launch is timed between two marks of the backend (see <see cref="KernelProfiler"/>); null in normal runs.</summary>
    public KernelProfiler? Profiler
    {
        get => profiler;
        set
        {
            profiled.Clear(); // wrappers are bound to the profiler they were made for
            profiler = value;
        }
    }

    KernelProfiler? profiler;

    /// <summary>
    /// Until disposed, the profiler (if one is attached) records this device's launches under <c>Kernel (op)</c> instead of
    /// <c>Kernel</c>: for an op that runs another op's kernels (conv_transpose2d runs Conv2d's), so its time stays a row of its own.
    /// A no-op without a profiler.
    /// </summary>
    public KernelProfiler.OpScope ProfileAs(string op) => new(Profiler, op);

    /// <summary>Returns the kernel for <paramref name="slot"/>, loading it on first use only.</summary>
    public T Kernel<T>(KernelSlot<T> slot) where T : Delegate
    {
        var launcher = (T)kernels.GetOrAdd(slot, static (_, args) => args.backend.Load(args.slot), (slot, backend: Backend));
        if (Profiler is not { } profiler) return launcher;
        return (T)profiled.GetOrAdd(slot, static (_, args) => args.profiler.Wrap(args.launcher, args.slot, args.backend), (profiler, launcher, slot, backend: Backend));
    }

    /// <summary>
    /// Releases the memory this device caches but does not use (as <c>torch.cuda.empty_cache()</c>): the pool's free buffers
    /// (<see cref="BufferPool.Trim"/>), on the native backend every thread's scratch buffers, and on the host the freed pages
    /// of the C heap. Tensors alive stay valid. Call it where one phase ends and the next begins (e.g. between training the
    /// VQ-VAE and the prior), never per step: the next step allocates its buffers again. Returns the bytes released by the
    /// pool and the scratch buffers.
    /// </summary>
    public long EmptyCache()
    {
        Synchronize();
        long bytes = Pool.Trim();
        if (IsNative) bytes += Native.NativeScratch.ReleaseAll();
        if (Accelerator.AcceleratorType == ILGPU.Runtime.AcceleratorType.CPU) HostHeap.ReturnFreePages();
        return bytes;
    }

    /// <summary>Waits for all queued work. Only the host edges (reads, timing) call this.</summary>
    public void Synchronize() => Backend.Synchronize();

    public override string ToString() => Name;
}
