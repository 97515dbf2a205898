using ILGPU;
using ILGPU.Runtime;
using IlgpuVq.Engine.Devices;
using IlgpuVq.Kernels;

namespace IlgpuVq.Engine.Ops;

/// <summary>
/// Which GEMM and convolution kernels an op launches on a device: the shared-memory block tiles
/// (<see cref="GemmKernels.SharedTiled"/>, <see cref="Conv2dSharedKernels"/>) on CUDA and OpenCL, the register-tiled grid-stride
/// kernels (<see cref="GemmKernels.Tiled"/>, <see cref="Conv2dKernels"/>) on the CPU simulators, where shared memory is ordinary
/// memory and a barrier is a thread rendezvous, and the native versions on <c>cpu</c>. <see cref="Force"/> lets tests and
/// benchmarks run the shared-memory variants on the simulators too (never on the native backend, which has no version of them).
/// </summary>
public static class SharedTiling
{
    static readonly AsyncLocal<bool?> Forced = new();

    /// <summary>True when ops on <paramref name="device"/> launch the shared-memory kernels.</summary>
    public static bool Uses(ComputeDevice device) =>
        !device.IsNative && (Forced.Value ?? device.Accelerator.AcceleratorType is AcceleratorType.Cuda or AcceleratorType.OpenCL);

    /// <summary>Until disposed, ops in this flow of execution use (or avoid) the shared-memory kernels on every ILGPU device.</summary>
    public static IDisposable Force(bool use)
    {
        var previous = Forced.Value;
        Forced.Value = use;
        return new Restore(previous);
    }

    /// <summary>
    /// The launch of a block-tiled product of <paramref name="m"/> × <paramref name="n"/> outputs in <paramref name="splits"/> K ranges:
    /// G = the accelerator's group size for <see cref="GemmKernels.SharedMaxGroup"/> threads rounded down to a power of two, arranged as
    /// gm × gn (gn = 2^⌈log2 G / 2⌉: 16 × 16 on a GPU, 4 × 4 on <c>cpu-sim</c>, 4 × 8 on <c>cpu-sim:nvidia</c>), and as many groups as
    /// there are blocks, capped by the device's resident-thread policy (<see cref="ComputeDevice.ThreadCapacity"/>).
    /// </summary>
    internal static (KernelConfig Config, int Gn) Launch(ComputeDevice device, int m, int n, int splits)
    {
        var (size, gn) = GroupShape(device);
        long blocks = (long)Blocks(size, gn, m, n) * splits;
        int groups = (int)Math.Max(1, Math.Min(blocks, Math.Min(blocks * size, device.ThreadCapacity) / size));
        return (new KernelConfig(new Index1D(groups), new Index1D(size)), gn);
    }

    /// <summary>Threads of one K range of the product (blocks × group size), for sizing batch chunks.</summary>
    internal static int Threads(ComputeDevice device, int m, int n)
    {
        var (size, gn) = GroupShape(device);
        return Blocks(size, gn, m, n) * size;
    }

    static (int Size, int Gn) GroupShape(ComputeDevice device)
    {
        int size = 1;
        while (size * 2 <= device.GroupSize(GemmKernels.SharedMaxGroup)) size *= 2;
        int log = System.Numerics.BitOperations.Log2((uint)size);
        return (size, 1 << ((log + 1) / 2));
    }

    static int Blocks(int size, int gn, int m, int n)
    {
        int gm = size / gn;
        return ((m + 4 * gm - 1) / (4 * gm)) * ((n + 4 * gn - 1) / (4 * gn));
    }

    sealed class Restore(bool? previous) : IDisposable
    {
        public void Dispose() => Forced.Value = previous;
    }
}
