using System.Runtime.InteropServices;

namespace IlgpuVq.Engine.Native;

/// <summary>The per-thread scratch buffers of the native kernels, one per <see cref="ScratchSlot"/>.</summary>
public enum ScratchSlot
{
    /// <summary><see cref="Sgemm"/>'s packed block of A.</summary>
    PackA,
    /// <summary><see cref="Sgemm"/>'s packed block of B.</summary>
    PackB,
    /// <summary>A convolution's im2col matrix of one image.</summary>
    Columns,
    /// <summary>Per-group partial sums of a convolution's weight gradient.</summary>
    Partials,
    /// <summary>A convolution's flipped, transposed kernel, for its input gradient as a forward convolution.</summary>
    FlippedKernel,
    /// <summary>A convolution's kernel matrix packed for <see cref="Sgemm"/> once per launch (read by every worker).</summary>
    PackedWeights,
    /// <summary>The nearest-code search's transposed, padded codebook [D, K'].</summary>
    CodebookTransposed,
    /// <summary>Embedding's per-code write cursors (ints).</summary>
    Cursors,
    /// <summary>A cached-sampling step's gathered inputs and intermediate products (<see cref="PixelCnnStepNative"/>).</summary>
    PixelCnnStep,
    /// <summary><see cref="Conv2dWinograd"/>'s transformed kernels before packing [α²][Cout][Cin].</summary>
    WinogradKernel,
    /// <summary><see cref="Conv2dWinograd"/>'s kernel gradient before its back-transform [α²][Cout][Cin].</summary>
    WinogradKernelGradient,
    /// <summary><see cref="Conv2dWinograd"/>'s transformed input tiles of one block [α²][Cin][tiles].</summary>
    WinogradInput,
    /// <summary><see cref="Conv2dWinograd"/>'s products of one block [α²][Cout][tiles].</summary>
    WinogradProduct,
    /// <summary><see cref="Conv2dWinograd"/>'s row transforms of one input channel.</summary>
    WinogradRows,
    /// <summary><see cref="Conv2dSpaceToDepth"/>'s space-to-depth input of one image or of a batch, or <see cref="Conv2dDepthToSpace"/>'s
    /// phases of one image's input gradient.</summary>
    SpaceToDepth,
    /// <summary><see cref="Conv2dSpaceToDepth"/>'s 2×2 kernel (or kernel gradients) of a 4×4 stride-2 convolution.</summary>
    SpaceToDepthKernel,
    /// <summary><see cref="Conv2dDepthToSpace.Edges"/>'s kernels, dy lines and products of one edge.</summary>
    DepthToSpaceEdges,
    /// <summary><see cref="CodebookMaintenanceNative"/>'s running sums of one code.</summary>
    CodeSums,
    /// <summary>A convolution weight gradient's block computed transposed, before it goes into dw.</summary>
    TransposedProduct,
    /// <summary>relu(x) of one image for a 1×1 convolution of a ReLU (<see cref="IlgpuVq.Kernels.Conv2dGeometry.ReluInput"/>).</summary>
    RectifiedInput,
    /// <summary><see cref="Sgemm"/>'s full micro-tile at the edge of C, before its in-range part goes into C.</summary>
    EdgeTile,
}

/// <summary>
/// Per-thread, 64-byte aligned native float buffers that grow on demand and are reused across calls (no heap allocation
/// in steady state; the memory never moves). A buffer's contents are undefined after <see cref="Get"/>; each slot must be
/// used by one function at a time on a thread. <see cref="ReleaseAll"/> frees every thread's buffers between phases.
/// </summary>
public static unsafe class NativeScratch
{
    [ThreadStatic] static Buffers? buffers;
    /// <summary>Every thread's buffers (weakly: a retired thread's buffers are still freed by their finalizer).</summary>
    static readonly List<WeakReference<Buffers>> all = new();

    /// <summary>A buffer of at least <paramref name="count"/> floats for <paramref name="slot"/> on the calling thread.</summary>
    public static float* Get(ScratchSlot slot, long count)
    {
        var b = buffers ??= Register(new Buffers());
        int i = (int)slot;
        if (b.Capacity[i] < count)
        {
            if (b.Pointers[i] != null) NativeMemory.AlignedFree(b.Pointers[i]);
            long grown = Math.Max(count, b.Capacity[i] * 3 / 2);
            b.Pointers[i] = (float*)NativeMemory.AlignedAlloc((nuint)(grown * sizeof(float)), 64);
            b.Capacity[i] = grown;
        }
        return b.Pointers[i];
    }

    static Buffers Register(Buffers b)
    {
        lock (all)
        {
            all.RemoveAll(w => !w.TryGetTarget(out _));
            all.Add(new WeakReference<Buffers>(b));
        }
        return b;
    }

    /// <summary>
    /// Frees the buffers of every thread and returns how many bytes they held; they grow again on the next use. Only while no
    /// native kernel runs (the native backend is synchronous, so between two launches of the thread that drives the device).
    /// </summary>
    public static long ReleaseAll()
    {
        long bytes = 0;
        lock (all)
            foreach (var w in all)
                if (w.TryGetTarget(out var b))
                    bytes += b.Free();
        return bytes;
    }

    /// <summary>A buffer of at least <paramref name="count"/> ints for <paramref name="slot"/> on the calling thread.</summary>
    public static int* GetInts(ScratchSlot slot, long count) => (int*)Get(slot, count);

    /// <summary>One thread's buffers; freed when the thread (and with it this object) goes away.</summary>
    sealed class Buffers
    {
        public readonly float*[] Pointers = new float*[Enum.GetValues<ScratchSlot>().Length];
        public readonly long[] Capacity = new long[Enum.GetValues<ScratchSlot>().Length];

        /// <summary>Frees every buffer (capacities back to zero); returns the bytes freed.</summary>
        public long Free()
        {
            long bytes = 0;
            for (int i = 0; i < Pointers.Length; i++)
            {
                if (Pointers[i] != null) NativeMemory.AlignedFree(Pointers[i]);
                bytes += Capacity[i] * sizeof(float);
                Pointers[i] = null;
                Capacity[i] = 0;
            }
            return bytes;
        }

        ~Buffers() => Free();
    }
}
