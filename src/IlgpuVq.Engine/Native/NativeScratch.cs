using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace IlgpuVq.Engine.Native;

/// <summary>
/// Per-thread reusable host scratch for native kernels (e.g. a repacked operand built by the calling thread before a
/// parallel loop that only reads it). The buffer is pinned and grows on demand; a pointer stays valid until the same
/// thread asks again, so a native kernel takes it once per launch and never hands it to a later launch.
/// </summary>
public static unsafe class NativeScratch
{
    [ThreadStatic] static float[]? floats;
    [ThreadStatic] static int[]? ints;

    /// <summary>A pointer to at least <paramref name="count"/> floats (contents undefined) owned by the calling thread.</summary>
    public static float* Floats(int count)
    {
        var buffer = floats;
        if (buffer == null || buffer.Length < count)
        {
            buffer = GC.AllocateUninitializedArray<float>(Math.Max(count, 1024), pinned: true);
            floats = buffer;
        }
        return (float*)Unsafe.AsPointer(ref MemoryMarshal.GetArrayDataReference(buffer));
    }

    /// <summary>A pointer to at least <paramref name="count"/> ints (contents undefined) owned by the calling thread.</summary>
    public static int* Ints(int count)
    {
        var buffer = ints;
        if (buffer == null || buffer.Length < count)
        {
            buffer = GC.AllocateUninitializedArray<int>(Math.Max(count, 1024), pinned: true);
            ints = buffer;
        }
        return (int*)Unsafe.AsPointer(ref MemoryMarshal.GetArrayDataReference(buffer));
    }
}
