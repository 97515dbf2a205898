using System.Reflection;
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

    /// <summary>A grid-stride kernel <c>(Index1D thread, int total, int stride, …)</c>; <typeparamref name="T"/> is its own signature.</summary>
    public KernelSlot(T gridStrideKernel)
    {
        Kernel = gridStrideKernel.Method;
        Body = gridStrideKernel;
        IsGridStride = true;
        loadIlgpu = a => GridStrideKernel.LoadAny(a, gridStrideKernel);
    }

    /// <summary>An explicitly grouped kernel: <paramref name="load"/> loads it on an ILGPU accelerator (launcher <typeparamref name="T"/>
    /// takes a <c>KernelConfig</c> first); <paramref name="kernel"/> is the kernel method itself.</summary>
    public KernelSlot(Func<Accelerator, T> load, Delegate kernel)
    {
        Kernel = kernel.Method;
        loadIlgpu = load;
    }

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
