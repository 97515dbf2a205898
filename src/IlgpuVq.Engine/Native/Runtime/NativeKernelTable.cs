using System.Reflection;
using IlgpuVq.Engine.Devices;

namespace IlgpuVq.Engine.Native;

/// <summary>
/// The native CPU implementations, keyed by the ILGPU kernel method (in <c>kernels/</c>) each one replaces. A native
/// grid-stride implementation has exactly its kernel's signature (it ignores thread/stride and does the whole launch of
/// <c>total</c> items); a native explicitly grouped one has the launcher's signature (<c>KernelConfig</c> first).
/// Kernels not listed here run through <see cref="HostGrid"/>.
/// </summary>
public static class NativeKernelTable
{
    static readonly Dictionary<MethodInfo, Delegate> Table = Build();

    static Dictionary<MethodInfo, Delegate> Build()
    {
        var r = new NativeRegistry();
        ReductionNative.Register(r);
        CodebookNative.Register(r);
        KMeansNative.Register(r);
        CodebookMaintenanceNative.Register(r);
        ElementwiseNative.Register(r);
        AdamWNative.Register(r);
        BatchBiasNative.Register(r);
        EmbeddingNative.Register(r);
        CrossEntropyNative.Register(r);
        ChannelNative.Register(r);
        ShiftNative.Register(r);
        Conv2dNative.Register(r);
        GemmNative.Register(r);
        PixelCnnStepNative.Register(r);
        GuidanceNative.Register(r);
        return r.Entries;
    }

    /// <summary>The native implementation of <paramref name="kernel"/>, or null when it runs through <see cref="HostGrid"/>.</summary>
    public static Delegate? Find(MethodInfo kernel) => Table.GetValueOrDefault(kernel);

    /// <summary>Every kernel with a hand-written native implementation.</summary>
    public static IReadOnlyCollection<MethodInfo> Kernels => Table.Keys;
}

/// <summary>Collects native implementations; each native op family registers its own in a <c>Register</c> method.</summary>
public sealed class NativeRegistry
{
    internal Dictionary<MethodInfo, Delegate> Entries { get; } = new();

    /// <summary>The native replacement of <paramref name="slot"/>'s kernel, of the slot's launcher type <typeparamref name="T"/>: a
    /// grid-stride native has the kernel's own signature, an explicitly grouped one the launcher's (<c>KernelConfig</c> first).</summary>
    internal void Add<T>(KernelSlot<T> slot, T native) where T : Delegate => Add(slot.Kernel, native);

    void Add(MethodInfo kernel, Delegate native)
    {
        if (!Entries.TryAdd(kernel, native))
            throw new InvalidOperationException($"{kernel.DeclaringType?.Name}.{kernel.Name} has two native implementations");
    }
}
