using System.Reflection;
using ILGPU;
using ILGPU.Runtime;

namespace IlgpuVq.Engine.Devices;

/// <summary>
/// A kernel declared once (a static field next to the op that launches it) and loaded lazily, once per device, by the
/// device's <see cref="IKernelBackend"/> into a typed launcher that the device keeps. <see cref="Kernel"/> is the ILGPU
/// kernel method in <c>kernels/</c>; the native CPU backend finds its own implementation by that method.
/// </summary>
public sealed class KernelSlot<T> where T : Delegate
{
    readonly Func<Accelerator, T> loadIlgpu;

    /// <summary>A grid-stride kernel <c>(Index1D thread, int total, int stride, …)</c>; <typeparamref name="T"/> is its own signature.
    /// <paramref name="cost"/>: its flops for the profiler (none for memory-bound kernels).</summary>
    public KernelSlot(T gridStrideKernel, KernelCost? cost = null)
    {
        Kernel = gridStrideKernel.Method;
        Body = gridStrideKernel;
        IsGridStride = true;
        loadIlgpu = a => GridStrideKernel.LoadAny(a, gridStrideKernel);
        Flops = Bind(cost);
    }

    /// <summary>An explicitly grouped kernel (it reads its indices from <c>Grid</c>/<c>Group</c>): <typeparamref name="T"/> is its
    /// launcher, <c>(KernelConfig config, …the kernel's own parameters)</c>, loaded with ILGPU's <c>LoadStreamKernel</c>.</summary>
    public KernelSlot(Delegate groupedKernel, KernelCost? cost = null)
    {
        Kernel = groupedKernel.Method;
        var parameters = Kernel.GetParameters().Select(p => p.ParameterType).ToArray();
        var launcher = typeof(T).GetMethod("Invoke")!.GetParameters().Select(p => p.ParameterType).ToArray();
        if (!launcher.SequenceEqual(parameters.Prepend(typeof(KernelConfig))))
            throw new ArgumentException($"{Name}: an explicitly grouped kernel's launcher takes (KernelConfig, …its parameters), got {typeof(T)}");
        var load = typeof(KernelLoaders).GetMethods().Single(m => m.Name == nameof(KernelLoaders.LoadStreamKernel)
                && m.GetGenericArguments().Length == parameters.Length && m.GetParameters().Length == 2 && m.ReturnType.GetGenericArguments()[0] == typeof(KernelConfig))
            .MakeGenericMethod(parameters);
        loadIlgpu = a => (T)load.Invoke(null, [a, groupedKernel])!;
        Flops = Bind(cost);
    }

    /// <summary>The flops of a launch as a function of its launcher arguments (<see cref="KernelCost"/>), or null (0 flops).</summary>
    internal Func<object[], double>? Flops { get; }

    Func<object[], double>? Bind(KernelCost? cost) =>
        cost?.Bind(Kernel, typeof(T).GetMethod("Invoke")!.GetParameters().Length - Kernel.GetParameters().Length);

    /// <summary>The kernel method in <c>kernels/</c>.</summary>
    public MethodInfo Kernel { get; }
    /// <summary>The kernel method as a .NET delegate, for a grid-stride kernel (run on host threads by the native backend's
    /// <c>HostGrid</c> and called directly by the native tests); null for an explicitly grouped one.</summary>
    internal T? Body { get; }
    /// <summary>True for implicitly grouped grid-stride kernels (launcher signature = kernel signature).</summary>
    public bool IsGridStride { get; }
    /// <summary><c>Family.Method</c>, e.g. <c>Conv2dKernels.Forward</c>.</summary>
    public string Name => $"{Kernel.DeclaringType?.Name}.{Kernel.Name}";

    internal T LoadIlgpu(Accelerator accelerator) => loadIlgpu(accelerator);

    public override string ToString() => Name;
}
