using ILGPU.Runtime;

namespace IlgpuVq.Engine.Devices;

/// <summary>Kernels compiled by ILGPU and queued on the accelerator's default stream (CUDA, OpenCL, or the CPU simulator).</summary>
public sealed class IlgpuKernelBackend(Accelerator accelerator) : IKernelBackend
{
    public string Name => "ilgpu";

    public T Load<T>(KernelSlot<T> slot) where T : Delegate => slot.LoadIlgpu(accelerator);

    public string Implementation<T>(KernelSlot<T> slot) where T : Delegate => "ilgpu";

    /// <summary>
    /// Policy on ILGPU's CPU accelerator: min(work, <see cref="CpuGroupSize"/> × NumMultiprocessors), i.e. one group
    /// of one warp per simulated multiprocessor (4 threads on <c>cpu-sim</c>, 32 on <c>cpu-sim:nvidia</c>). Every group of a
    /// launch costs tens of µs (it is handed to worker threads and joined), so few groups with a grid-stride loop beat
    /// a thread per element by orders of magnitude; measured on 2 cores, demo step (batch 8, 16×16): one thread per
    /// element 295 ms / 10.6 s, warp-sized groups 52 / 145–240 ms.
    /// On a GPU: min(work, NumMultiprocessors × MaxGroupSize × 4), enough resident threads to hide latency without
    /// launching a thread per element. Returns at least 1.
    /// </summary>
    public int LaunchThreads(long work)
    {
        long cap = accelerator.AcceleratorType == AcceleratorType.CPU
            ? (long)CpuGroupSize(accelerator) * Math.Max(1, accelerator.NumMultiprocessors)
            : (long)Math.Max(1, accelerator.NumMultiprocessors) * accelerator.MaxNumThreadsPerGroup * 4;
        return (int)Math.Max(1, Math.Min(work, cap));
    }

    /// <summary>
    /// On ILGPU's CPU accelerator: at most <see cref="CpuGroupSize"/>, because every simulated thread is an OS
    /// thread that, once created by a large group, takes part in every later launch (measured on <c>cpu-sim:nvidia</c>: a
    /// 32-thread launch costs 0.6 ms before and 74 ms after a single 1024-thread group ran). On a GPU: wanted, capped by
    /// MaxGroupSize.
    /// </summary>
    public int GroupSize(int wanted)
    {
        int size = Math.Clamp(wanted, 1, accelerator.MaxNumThreadsPerGroup);
        return accelerator.AcceleratorType == AcceleratorType.CPU ? Math.Min(size, CpuGroupSize(accelerator)) : size;
    }

    public void Synchronize() => accelerator.Synchronize();

    public KernelMark Mark() => new StreamMark(accelerator.DefaultStream.AddProfilingMarker());

    /// <summary>
    /// The group size that implicitly grouped (grid-stride) kernels are loaded with on ILGPU's CPU accelerator: one warp
    /// of the simulated device (4 on <c>cpu-sim</c>, 32 on <c>cpu-sim:nvidia</c>). Fixed, so no launch ever creates more simulated
    /// threads than that, the two simulator shapes stay different (the tests run kernels at both group sizes), and results
    /// do not depend on the machine's core count. GPUs keep ILGPU's automatic grouping.
    /// </summary>
    public static int CpuGroupSize(Accelerator accelerator) => Math.Max(1, accelerator.WarpSize);
}
