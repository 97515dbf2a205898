using IlgpuVq.Engine.Devices;

namespace IlgpuVq.Engine.Native;

/// <summary>
/// The native CPU backend (<c>cpu</c>): hand-written C# with <c>System.Runtime.Intrinsics</c> vectors on all cores for the
/// kernels in <see cref="NativeKernelTable"/>, and the kernel bodies of <c>kernels/</c> run directly on host threads
/// (<see cref="HostGrid"/>) for the rest. Launches run synchronously on the calling thread (with
/// <see cref="NativeParallel"/> inside), so there is nothing to synchronize. Memory is the host memory of an ILGPU CPU
/// accelerator (see <see cref="ComputeDevice.Accelerator"/>), whose copies and fills also complete before they return.
/// </summary>
public sealed class NativeCpuBackend : IKernelBackend
{
    public string Name => "native";

    public T Load<T>(KernelSlot<T> slot) where T : Delegate
    {
        if (NativeKernelTable.Find(slot.Kernel) is { } native)
            return native as T ?? throw new InvalidOperationException(
                $"native {slot.Name} has type {native.GetType()}, but its ops launch it as {typeof(T)}");
        return HostGrid.Wrap(slot.Body ?? throw new NotSupportedException($"kernel {slot.Name} is explicitly grouped and has no native implementation"));
    }

    /// <summary>How a kernel runs here: <c>native</c> (hand-written C#) or <c>host</c> (its kernel body on host threads).</summary>
    public string Implementation<T>(KernelSlot<T> slot) where T : Delegate => NativeKernelTable.Find(slot.Kernel) != null ? "native" : "host";

    /// <summary>The native kernels partition work themselves; ops that size scratch or batch chunks by the thread count get one.</summary>
    public int LaunchThreads(long work) => 1;

    public int GroupSize(int wanted) => 1;

    public void Synchronize() { }

    public KernelMark Mark() => new HostMark();
}
