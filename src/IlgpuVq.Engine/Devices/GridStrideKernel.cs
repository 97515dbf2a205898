using ILGPU;
using ILGPU.Runtime;

namespace IlgpuVq.Engine.Devices;

/// <summary>
/// Loads a grid-stride kernel (<c>(Index1D thread, int total, int stride, …)</c>) with the launch policy of
/// <see cref="ComputeDevice.LaunchWidth"/> (launched by <see cref="GridStrideLaunch"/>, where the contract of <c>total</c> is written): on ILGPU's CPU accelerator with a fixed group of one warp
/// (<see cref="IlgpuKernelBackend.CpuGroupSize"/>), on GPUs with ILGPU's automatic group size. The one place that policy lives.
/// </summary>
public static class GridStrideKernel
{
    static readonly System.Reflection.MethodInfo[] Loaders = typeof(GridStrideKernel).GetMethods()
        .Where(m => m.Name == nameof(Load) && m.IsGenericMethodDefinition).OrderBy(m => m.GetGenericArguments().Length).ToArray();

    /// <summary>Loads any grid-stride kernel whose launcher type is <c>Action&lt;Index1D, int, int, T1, …&gt;</c> (one of the typed overloads below).</summary>
    internal static T LoadAny<T>(Accelerator a, T kernel) where T : Delegate
    {
        var args = typeof(T).GetGenericArguments();
        if (args.Length < 4 || args[0] != typeof(Index1D) || args[1] != typeof(int) || args[2] != typeof(int))
            throw new ArgumentException($"{kernel.Method.Name}: a grid-stride kernel takes (Index1D thread, int total, int stride, …), got {typeof(T)}");
        var loader = Loaders.Single(m => m.GetGenericArguments().Length == args.Length - 3).MakeGenericMethod(args[3..]);
        return (T)loader.Invoke(null, [a, kernel])!;
    }

    public static Action<Index1D, int, int, T1> Load<T1>(Accelerator a, Action<Index1D, int, int, T1> kernel) where T1 : struct =>
        a.AcceleratorType == AcceleratorType.CPU
            ? a.LoadImplicitlyGroupedStreamKernel(kernel, IlgpuKernelBackend.CpuGroupSize(a))
            : a.LoadAutoGroupedStreamKernel(kernel);

    public static Action<Index1D, int, int, T1, T2> Load<T1, T2>(Accelerator a, Action<Index1D, int, int, T1, T2> kernel) where T1 : struct where T2 : struct =>
        a.AcceleratorType == AcceleratorType.CPU
            ? a.LoadImplicitlyGroupedStreamKernel(kernel, IlgpuKernelBackend.CpuGroupSize(a))
            : a.LoadAutoGroupedStreamKernel(kernel);

    public static Action<Index1D, int, int, T1, T2, T3> Load<T1, T2, T3>(Accelerator a, Action<Index1D, int, int, T1, T2, T3> kernel) where T1 : struct where T2 : struct where T3 : struct =>
        a.AcceleratorType == AcceleratorType.CPU
            ? a.LoadImplicitlyGroupedStreamKernel(kernel, IlgpuKernelBackend.CpuGroupSize(a))
            : a.LoadAutoGroupedStreamKernel(kernel);

    public static Action<Index1D, int, int, T1, T2, T3, T4> Load<T1, T2, T3, T4>(Accelerator a, Action<Index1D, int, int, T1, T2, T3, T4> kernel) where T1 : struct where T2 : struct where T3 : struct where T4 : struct =>
        a.AcceleratorType == AcceleratorType.CPU
            ? a.LoadImplicitlyGroupedStreamKernel(kernel, IlgpuKernelBackend.CpuGroupSize(a))
            : a.LoadAutoGroupedStreamKernel(kernel);

    public static Action<Index1D, int, int, T1, T2, T3, T4, T5> Load<T1, T2, T3, T4, T5>(Accelerator a, Action<Index1D, int, int, T1, T2, T3, T4, T5> kernel) where T1 : struct where T2 : struct where T3 : struct where T4 : struct where T5 : struct =>
        a.AcceleratorType == AcceleratorType.CPU
            ? a.LoadImplicitlyGroupedStreamKernel(kernel, IlgpuKernelBackend.CpuGroupSize(a))
            : a.LoadAutoGroupedStreamKernel(kernel);

    public static Action<Index1D, int, int, T1, T2, T3, T4, T5, T6> Load<T1, T2, T3, T4, T5, T6>(Accelerator a, Action<Index1D, int, int, T1, T2, T3, T4, T5, T6> kernel) where T1 : struct where T2 : struct where T3 : struct where T4 : struct where T5 : struct where T6 : struct =>
        a.AcceleratorType == AcceleratorType.CPU
            ? a.LoadImplicitlyGroupedStreamKernel(kernel, IlgpuKernelBackend.CpuGroupSize(a))
            : a.LoadAutoGroupedStreamKernel(kernel);

    public static Action<Index1D, int, int, T1, T2, T3, T4, T5, T6, T7> Load<T1, T2, T3, T4, T5, T6, T7>(Accelerator a, Action<Index1D, int, int, T1, T2, T3, T4, T5, T6, T7> kernel) where T1 : struct where T2 : struct where T3 : struct where T4 : struct where T5 : struct where T6 : struct where T7 : struct =>
        a.AcceleratorType == AcceleratorType.CPU
            ? a.LoadImplicitlyGroupedStreamKernel(kernel, IlgpuKernelBackend.CpuGroupSize(a))
            : a.LoadAutoGroupedStreamKernel(kernel);

    public static Action<Index1D, int, int, T1, T2, T3, T4, T5, T6, T7, T8> Load<T1, T2, T3, T4, T5, T6, T7, T8>(Accelerator a, Action<Index1D, int, int, T1, T2, T3, T4, T5, T6, T7, T8> kernel) where T1 : struct where T2 : struct where T3 : struct where T4 : struct where T5 : struct where T6 : struct where T7 : struct where T8 : struct =>
        a.AcceleratorType == AcceleratorType.CPU
            ? a.LoadImplicitlyGroupedStreamKernel(kernel, IlgpuKernelBackend.CpuGroupSize(a))
            : a.LoadAutoGroupedStreamKernel(kernel);

    public static Action<Index1D, int, int, T1, T2, T3, T4, T5, T6, T7, T8, T9> Load<T1, T2, T3, T4, T5, T6, T7, T8, T9>(Accelerator a, Action<Index1D, int, int, T1, T2, T3, T4, T5, T6, T7, T8, T9> kernel) where T1 : struct where T2 : struct where T3 : struct where T4 : struct where T5 : struct where T6 : struct where T7 : struct where T8 : struct where T9 : struct =>
        a.AcceleratorType == AcceleratorType.CPU
            ? a.LoadImplicitlyGroupedStreamKernel(kernel, IlgpuKernelBackend.CpuGroupSize(a))
            : a.LoadAutoGroupedStreamKernel(kernel);

    public static Action<Index1D, int, int, T1, T2, T3, T4, T5, T6, T7, T8, T9, T10> Load<T1, T2, T3, T4, T5, T6, T7, T8, T9, T10>(Accelerator a, Action<Index1D, int, int, T1, T2, T3, T4, T5, T6, T7, T8, T9, T10> kernel) where T1 : struct where T2 : struct where T3 : struct where T4 : struct where T5 : struct where T6 : struct where T7 : struct where T8 : struct where T9 : struct where T10 : struct =>
        a.AcceleratorType == AcceleratorType.CPU
            ? a.LoadImplicitlyGroupedStreamKernel(kernel, IlgpuKernelBackend.CpuGroupSize(a))
            : a.LoadAutoGroupedStreamKernel(kernel);

    public static Action<Index1D, int, int, T1, T2, T3, T4, T5, T6, T7, T8, T9, T10, T11> Load<T1, T2, T3, T4, T5, T6, T7, T8, T9, T10, T11>(Accelerator a, Action<Index1D, int, int, T1, T2, T3, T4, T5, T6, T7, T8, T9, T10, T11> kernel) where T1 : struct where T2 : struct where T3 : struct where T4 : struct where T5 : struct where T6 : struct where T7 : struct where T8 : struct where T9 : struct where T10 : struct where T11 : struct =>
        a.AcceleratorType == AcceleratorType.CPU
            ? a.LoadImplicitlyGroupedStreamKernel(kernel, IlgpuKernelBackend.CpuGroupSize(a))
            : a.LoadAutoGroupedStreamKernel(kernel);

    public static Action<Index1D, int, int, T1, T2, T3, T4, T5, T6, T7, T8, T9, T10, T11, T12> Load<T1, T2, T3, T4, T5, T6, T7, T8, T9, T10, T11, T12>(Accelerator a, Action<Index1D, int, int, T1, T2, T3, T4, T5, T6, T7, T8, T9, T10, T11, T12> kernel) where T1 : struct where T2 : struct where T3 : struct where T4 : struct where T5 : struct where T6 : struct where T7 : struct where T8 : struct where T9 : struct where T10 : struct where T11 : struct where T12 : struct =>
        a.AcceleratorType == AcceleratorType.CPU
            ? a.LoadImplicitlyGroupedStreamKernel(kernel, IlgpuKernelBackend.CpuGroupSize(a))
            : a.LoadAutoGroupedStreamKernel(kernel);
}
