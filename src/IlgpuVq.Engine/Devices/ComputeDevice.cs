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

    internal ComputeDevice(string name, Accelerator accelerator)
    {
        Name = name;
        Accelerator = accelerator;
        Pool = new BufferPool(accelerator);
    }

    /// <summary>The user-facing name, e.g. <c>cpu:nvidia</c>.</summary>
    public string Name { get; }
    public Accelerator Accelerator { get; }
    /// <summary>The caching allocator every tensor on this device draws from.</summary>
    public BufferPool Pool { get; }
    /// <summary>Threads per warp on this accelerator (never assume 32).</summary>
    public int WarpSize => Accelerator.WarpSize;
    /// <summary>The largest group size this accelerator supports.</summary>
    public int MaxGroupSize => Accelerator.MaxNumThreadsPerGroup;
    /// <summary>
    /// How many threads to launch for a grid-stride kernel over <paramref name="work"/> items (every kernel loops
    /// <c>for (i = thread; i &lt; work; i += threads)</c>, so any count ≥ 1 is correct; this only decides speed).
    /// Policy on ILGPU's CPU accelerator: min(work, <see cref="CpuGroupSize"/> × NumMultiprocessors), i.e. one group
    /// of one warp per simulated multiprocessor (4 threads on <c>cpu</c>, 32 on <c>cpu:nvidia</c>). Every group of a
    /// launch costs tens of µs (it is handed to worker threads and joined), so few groups with a grid-stride loop beat
    /// a thread per element by orders of magnitude; measured on 2 cores, demo step (batch 8, 16×16): one thread per
    /// element 295 ms / 10.6 s, warp-sized groups 52 / 145–240 ms (core-sized groups of 2 threads were 43–55 / 18–37 ms,
    /// but would make both simulator shapes the same and the numbers depend on the machine's core count).
    /// On a GPU: min(work, NumMultiprocessors × MaxGroupSize × 4), enough resident threads to hide latency without
    /// launching a thread per element. Returns at least 1.
    /// </summary>
    public int LaunchThreads(long work)
    {
        long cap = Accelerator.AcceleratorType == AcceleratorType.CPU
            ? (long)CpuGroupSize(Accelerator) * Math.Max(1, Accelerator.NumMultiprocessors)
            : (long)Math.Max(1, Accelerator.NumMultiprocessors) * MaxGroupSize * 4;
        return (int)Math.Max(1, Math.Min(work, cap));
    }

    /// <summary>
    /// Group size for an explicitly grouped kernel that would like <paramref name="wanted"/> threads per group (it must be
    /// correct for any size). On ILGPU's CPU accelerator: at most <see cref="CpuGroupSize"/>, because every simulated thread is an OS
    /// thread that, once created by a large group, takes part in every later launch (measured on <c>cpu:nvidia</c>: a
    /// 32-thread launch costs 0.6 ms before and 74 ms after a single 1024-thread group ran). On a GPU: wanted, capped by
    /// MaxGroupSize.
    /// </summary>
    public int GroupSize(int wanted)
    {
        int size = Math.Clamp(wanted, 1, MaxGroupSize);
        return Accelerator.AcceleratorType == AcceleratorType.CPU ? Math.Min(size, CpuGroupSize(Accelerator)) : size;
    }

    /// <summary>
    /// The group size that implicitly grouped (grid-stride) kernels are loaded with on ILGPU's CPU accelerator: one warp
    /// of the simulated device (4 on <c>cpu</c>, 32 on <c>cpu:nvidia</c>). Fixed, so no launch ever creates more simulated
    /// threads than that (see <see cref="GroupSize"/> for why that matters), the two simulator shapes stay different (the
    /// tests run kernels at both group sizes), and results do not depend on the machine's core count. GPUs keep ILGPU's
    /// automatic grouping (it accounts for the register use of each kernel).
    /// </summary>
    public static int CpuGroupSize(Accelerator accelerator) => Math.Max(1, accelerator.WarpSize);

    /// <summary>Number of kernels loaded so far (each is loaded once and kept).</summary>
    public int LoadedKernelCount => kernels.Count;

    /// <summary>When set, every kernel launch is timed (see <see cref="KernelProfiler"/>); null in normal runs.</summary>
    public KernelProfiler? Profiler { get; set; }

    /// <summary>Returns the kernel for <paramref name="slot"/>, loading it on first use only.</summary>
    public T Kernel<T>(KernelSlot<T> slot) where T : Delegate
    {
        var launcher = (T)kernels.GetOrAdd(slot, static (_, args) => args.slot.Load(args.acc), (slot, acc: Accelerator));
        if (Profiler is not { } profiler) return launcher;
        return (T)profiled.GetOrAdd(slot, static (_, args) => args.profiler.Wrap(args.launcher, args.acc), (profiler, launcher, acc: Accelerator));
    }

    /// <summary>Waits for all queued work. Only the host edges (reads, timing) call this.</summary>
    public void Synchronize() => Accelerator.Synchronize();

    public override string ToString() => Name;
}

/// <summary>
/// A kernel declared once (a static field next to the op that launches it) and loaded lazily, once per
/// accelerator, into a typed delegate that the device keeps.
/// </summary>
public sealed class KernelSlot<T>(Func<Accelerator, T> load) where T : Delegate
{
    internal T Load(Accelerator accelerator) => load(accelerator);
}
