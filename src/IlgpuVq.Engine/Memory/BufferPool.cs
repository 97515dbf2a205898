using ILGPU;
using ILGPU.Runtime;

namespace IlgpuVq.Engine.Memory;

/// <summary>
/// Caching allocator: released buffers go to a free list keyed by length and are handed out again for the
/// next request of the same length, or else for a request up to <see cref="MaxOversize"/> times smaller (the smallest
/// such free buffer), so a smaller batch (the last, partial one of an epoch, a validation batch) reuses the full batch's
/// buffers instead of caching a second set. A training step repeats its shapes, so after the first step a
/// steady-state step allocates nothing new; <see cref="DeviceAllocations"/> lets tests and the profiler
/// check that. Buffers hold 4-byte elements and are viewed as float or int32 (tensors view the first Length elements).
/// <see cref="Trim"/> (through <see cref="Devices.ComputeDevice.EmptyCache"/>) frees the cache between phases.
/// </summary>
public sealed class BufferPool
{
    readonly Accelerator accelerator;
    readonly Dictionary<long, Stack<MemoryBuffer1D<float, Stride1D.Dense>>> free = new();
    readonly object gate = new();

    internal BufferPool(Accelerator accelerator) => this.accelerator = accelerator;

    /// <summary>How many buffers were ever allocated on the device (not served from the free list).</summary>
    public long DeviceAllocations { get; private set; }
    /// <summary>Bytes currently allocated on the device by this pool, in use or cached.</summary>
    public long BytesReserved { get; private set; }
    /// <summary>Buffers currently handed out.</summary>
    public int LiveBuffers { get; private set; }

    /// <summary>A free buffer serves requests down to 1/MaxOversize of its length.</summary>
    public const int MaxOversize = 4;

    /// <summary>A buffer of at least <paramref name="length"/> (at most <see cref="MaxOversize"/>·length) 4-byte elements:
    /// a free one of exactly that length, else the smallest free one that fits, else a new one; contents are undefined.</summary>
    public MemoryBuffer1D<float, Stride1D.Dense> Rent(long length)
    {
        length = Math.Max(1, length);
        lock (gate)
        {
            LiveBuffers++;
            if (free.TryGetValue(length, out var stack) && stack.Count > 0) return stack.Pop();
            if (SmallestFreeAbove(length) is { } larger) return larger.Pop();
            DeviceAllocations++;
            BytesReserved += length * 4;
        }
        return accelerator.Allocate1D<float>(length);
    }

    /// <summary>The non-empty free list of the smallest length in (length, MaxOversize·length], or null.</summary>
    Stack<MemoryBuffer1D<float, Stride1D.Dense>>? SmallestFreeAbove(long length)
    {
        Stack<MemoryBuffer1D<float, Stride1D.Dense>>? best = null;
        long bestLength = long.MaxValue, limit = length * MaxOversize;
        foreach (var (l, stack) in free)
            if (l > length && l <= limit && l < bestLength && stack.Count > 0)
                (best, bestLength) = (stack, l);
        return best;
    }

    /// <summary>Returns a buffer for reuse. The device may still be using it; reuse is safe because all work
    /// runs in order on one stream.</summary>
    public void Return(MemoryBuffer1D<float, Stride1D.Dense> buffer)
    {
        lock (gate)
        {
            LiveBuffers--;
            if (!free.TryGetValue(buffer.Length, out var stack)) free[buffer.Length] = stack = new();
            stack.Push(buffer);
        }
    }

    /// <summary>Frees every cached (not handed out) buffer on the device and forgets their sizes; returns the bytes freed.
    /// Buffers in use are untouched and come back to the (now empty) free lists when released.</summary>
    public long Trim()
    {
        long freed = 0;
        lock (gate)
        {
            foreach (var stack in free.Values)
                while (stack.Count > 0)
                {
                    var b = stack.Pop();
                    freed += b.Length * 4;
                    b.Dispose();
                }
            free.Clear();
            BytesReserved -= freed;
        }
        return freed;
    }
}
