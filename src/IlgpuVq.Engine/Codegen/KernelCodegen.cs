using ILGPU;
using ILGPU.Backends;
using ILGPU.Backends.EntryPoints;
using ILGPU.Backends.OpenCL;
using ILGPU.Backends.PTX;
using ILGPU.Runtime;
using ILGPU.Runtime.Cuda;
using ILGPU.Runtime.OpenCL;
using IlgpuVq.Engine.Devices;

namespace IlgpuVq.Engine.Codegen;

/// <summary>What a GPU backend made of one kernel.</summary>
/// <param name="Source">PTX assembly or OpenCL C source.</param>
/// <param name="SharedMemoryBytes">Static shared memory the kernel allocates.</param>
/// <param name="LocalMemoryBytes">Per-thread local memory (spills, local arrays) summed over its functions.</param>
public sealed record GeneratedKernel(KernelMethod Kernel, string Target, string Source, int SharedMemoryBytes, int LocalMemoryBytes);

/// <summary>
/// Compiles kernels with ILGPU's PTX and OpenCL C backends without any GPU present: the code a CUDA or
/// OpenCL device would load. A kernel that cannot be lowered for a GPU fails here, on a CPU-only machine.
/// </summary>
public static class KernelCodegen
{
    /// <summary>Architectures the test suite compiles for.</summary>
    public static readonly CudaArchitecture[] TestedArchitectures = [CudaArchitecture.SM_70, CudaArchitecture.SM_80, CudaArchitecture.SM_90];

    public static CudaArchitecture ParseArchitecture(string arch)
    {
        var field = typeof(CudaArchitecture).GetField(arch.ToUpperInvariant());
        if (field == null || !arch.StartsWith("sm_", StringComparison.OrdinalIgnoreCase))
            throw new ArgumentException($"unknown CUDA architecture '{arch}' (expected e.g. sm_70, sm_80, sm_90)");
        return (CudaArchitecture)field.GetValue(null)!;
    }

    /// <summary>PTX for <paramref name="kernel"/> on <paramref name="arch"/>.</summary>
    public static GeneratedKernel Ptx(KernelMethod kernel, CudaArchitecture arch)
    {
        var context = DeviceCatalog.Context;
        var isa = CudaInstructionSet.ISA_83; // PTX ISA 8.3 (CUDA 12.3): the oldest ILGPU 1.5.3 emits sm_90 with.
        using var backend = new PTXBackend(context, new CudaCapabilityContext(arch), arch, isa, null);
        var compiled = (PTXCompiledKernel)backend.Compile(Describe(kernel), KernelSpecialization.Empty);
        return new GeneratedKernel(kernel, $"ptx-{arch.ToString().ToLowerInvariant()}", compiled.PTXAssembly,
            SharedBytes(compiled), LocalBytes(compiled));
    }

    /// <summary>OpenCL C 2.0 source for <paramref name="kernel"/> (generic vendor, fp64 and int64 atomics off).</summary>
    public static GeneratedKernel OpenCl(KernelMethod kernel)
    {
        var context = DeviceCatalog.Context;
        var caps = new CLCapabilityContext(false, false, false, false, false);
        using var backend = new CLBackend(context, caps, CLDeviceVendor.Other, CLCVersion.CL20);
        var compiled = (CLCompiledKernel)backend.Compile(Describe(kernel), KernelSpecialization.Empty);
        return new GeneratedKernel(kernel, "opencl-c2.0", compiled.Source, SharedBytes(compiled), LocalBytes(compiled));
    }

    static EntryPointDescription Describe(KernelMethod kernel) => kernel.ImplicitlyGrouped
        ? EntryPointDescription.FromImplicitlyGroupedKernel(kernel.Method)
        : EntryPointDescription.FromExplicitlyGroupedKernel(kernel.Method);

    static int SharedBytes(CompiledKernel compiled) => Info(compiled).SharedAllocations.TotalSize;

    static int LocalBytes(CompiledKernel compiled) => Info(compiled).Functions.Sum(f => f.LocalMemorySize);

    /// <summary>The kernel information that <see cref="DeviceCatalog"/> enables in the context.</summary>
    static CompiledKernel.KernelInfo Info(CompiledKernel compiled) =>
        compiled.Info ?? throw new InvalidOperationException("ILGPU kernel information is disabled in this context");
}
