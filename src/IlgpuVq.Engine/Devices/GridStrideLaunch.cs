using ILGPU;

namespace IlgpuVq.Engine.Devices;

/// <summary>
/// Launches a grid-stride kernel (<see cref="GridStrideKernel"/>) over <c>total</c> items with
/// <see cref="ComputeDevice.LaunchWidth"/> threads: <c>device.Launch(slot, total, args…)</c>, one typed overload per arity.
/// <para>The contract of <c>total</c>, the kernel's second parameter: the number of work items the kernel loops over,
/// <c>for (i = thread; i &lt; total; i += stride)</c>, and nothing else. A kernel body may use it only as that loop bound
/// (the host runs it on any number of threads, the native backend may split it), never to decode a shape: shapes are
/// passed as their own parameters.</para>
/// </summary>
public static class GridStrideLaunch
{
    public static void Launch<T1>(this ComputeDevice device, KernelSlot<Action<Index1D, int, int, T1>> slot, int total, T1 a1) where T1 : struct
    { int threads = device.LaunchWidth(total); device.Kernel(slot)(threads, total, threads, a1); }

    public static void Launch<T1, T2>(this ComputeDevice device, KernelSlot<Action<Index1D, int, int, T1, T2>> slot, int total, T1 a1, T2 a2) where T1 : struct where T2 : struct
    { int threads = device.LaunchWidth(total); device.Kernel(slot)(threads, total, threads, a1, a2); }

    public static void Launch<T1, T2, T3>(this ComputeDevice device, KernelSlot<Action<Index1D, int, int, T1, T2, T3>> slot, int total, T1 a1, T2 a2, T3 a3) where T1 : struct where T2 : struct where T3 : struct
    { int threads = device.LaunchWidth(total); device.Kernel(slot)(threads, total, threads, a1, a2, a3); }

    public static void Launch<T1, T2, T3, T4>(this ComputeDevice device, KernelSlot<Action<Index1D, int, int, T1, T2, T3, T4>> slot, int total, T1 a1, T2 a2, T3 a3, T4 a4) where T1 : struct where T2 : struct where T3 : struct where T4 : struct
    { int threads = device.LaunchWidth(total); device.Kernel(slot)(threads, total, threads, a1, a2, a3, a4); }

    public static void Launch<T1, T2, T3, T4, T5>(this ComputeDevice device, KernelSlot<Action<Index1D, int, int, T1, T2, T3, T4, T5>> slot, int total, T1 a1, T2 a2, T3 a3, T4 a4, T5 a5) where T1 : struct where T2 : struct where T3 : struct where T4 : struct where T5 : struct
    { int threads = device.LaunchWidth(total); device.Kernel(slot)(threads, total, threads, a1, a2, a3, a4, a5); }

    public static void Launch<T1, T2, T3, T4, T5, T6>(this ComputeDevice device, KernelSlot<Action<Index1D, int, int, T1, T2, T3, T4, T5, T6>> slot, int total, T1 a1, T2 a2, T3 a3, T4 a4, T5 a5, T6 a6) where T1 : struct where T2 : struct where T3 : struct where T4 : struct where T5 : struct where T6 : struct
    { int threads = device.LaunchWidth(total); device.Kernel(slot)(threads, total, threads, a1, a2, a3, a4, a5, a6); }

    public static void Launch<T1, T2, T3, T4, T5, T6, T7>(this ComputeDevice device, KernelSlot<Action<Index1D, int, int, T1, T2, T3, T4, T5, T6, T7>> slot, int total, T1 a1, T2 a2, T3 a3, T4 a4, T5 a5, T6 a6, T7 a7) where T1 : struct where T2 : struct where T3 : struct where T4 : struct where T5 : struct where T6 : struct where T7 : struct
    { int threads = device.LaunchWidth(total); device.Kernel(slot)(threads, total, threads, a1, a2, a3, a4, a5, a6, a7); }

    public static void Launch<T1, T2, T3, T4, T5, T6, T7, T8>(this ComputeDevice device, KernelSlot<Action<Index1D, int, int, T1, T2, T3, T4, T5, T6, T7, T8>> slot, int total, T1 a1, T2 a2, T3 a3, T4 a4, T5 a5, T6 a6, T7 a7, T8 a8) where T1 : struct where T2 : struct where T3 : struct where T4 : struct where T5 : struct where T6 : struct where T7 : struct where T8 : struct
    { int threads = device.LaunchWidth(total); device.Kernel(slot)(threads, total, threads, a1, a2, a3, a4, a5, a6, a7, a8); }

    public static void Launch<T1, T2, T3, T4, T5, T6, T7, T8, T9>(this ComputeDevice device, KernelSlot<Action<Index1D, int, int, T1, T2, T3, T4, T5, T6, T7, T8, T9>> slot, int total, T1 a1, T2 a2, T3 a3, T4 a4, T5 a5, T6 a6, T7 a7, T8 a8, T9 a9) where T1 : struct where T2 : struct where T3 : struct where T4 : struct where T5 : struct where T6 : struct where T7 : struct where T8 : struct where T9 : struct
    { int threads = device.LaunchWidth(total); device.Kernel(slot)(threads, total, threads, a1, a2, a3, a4, a5, a6, a7, a8, a9); }

    public static void Launch<T1, T2, T3, T4, T5, T6, T7, T8, T9, T10>(this ComputeDevice device, KernelSlot<Action<Index1D, int, int, T1, T2, T3, T4, T5, T6, T7, T8, T9, T10>> slot, int total, T1 a1, T2 a2, T3 a3, T4 a4, T5 a5, T6 a6, T7 a7, T8 a8, T9 a9, T10 a10) where T1 : struct where T2 : struct where T3 : struct where T4 : struct where T5 : struct where T6 : struct where T7 : struct where T8 : struct where T9 : struct where T10 : struct
    { int threads = device.LaunchWidth(total); device.Kernel(slot)(threads, total, threads, a1, a2, a3, a4, a5, a6, a7, a8, a9, a10); }

    public static void Launch<T1, T2, T3, T4, T5, T6, T7, T8, T9, T10, T11>(this ComputeDevice device, KernelSlot<Action<Index1D, int, int, T1, T2, T3, T4, T5, T6, T7, T8, T9, T10, T11>> slot, int total, T1 a1, T2 a2, T3 a3, T4 a4, T5 a5, T6 a6, T7 a7, T8 a8, T9 a9, T10 a10, T11 a11) where T1 : struct where T2 : struct where T3 : struct where T4 : struct where T5 : struct where T6 : struct where T7 : struct where T8 : struct where T9 : struct where T10 : struct where T11 : struct
    { int threads = device.LaunchWidth(total); device.Kernel(slot)(threads, total, threads, a1, a2, a3, a4, a5, a6, a7, a8, a9, a10, a11); }

    public static void Launch<T1, T2, T3, T4, T5, T6, T7, T8, T9, T10, T11, T12>(this ComputeDevice device, KernelSlot<Action<Index1D, int, int, T1, T2, T3, T4, T5, T6, T7, T8, T9, T10, T11, T12>> slot, int total, T1 a1, T2 a2, T3 a3, T4 a4, T5 a5, T6 a6, T7 a7, T8 a8, T9 a9, T10 a10, T11 a11, T12 a12) where T1 : struct where T2 : struct where T3 : struct where T4 : struct where T5 : struct where T6 : struct where T7 : struct where T8 : struct where T9 : struct where T10 : struct where T11 : struct where T12 : struct
    { int threads = device.LaunchWidth(total); device.Kernel(slot)(threads, total, threads, a1, a2, a3, a4, a5, a6, a7, a8, a9, a10, a11, a12); }
}
