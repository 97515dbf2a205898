using System.Runtime.InteropServices;

namespace IlgpuVq.Engine.Memory;

/// <summary>
/// The process heap of the host. Freed host buffers below glibc's (dynamic) mmap threshold stay in malloc's arenas and keep
/// counting as resident memory; <see cref="ReturnFreePages"/> hands their free pages back to the OS (glibc's
/// <c>malloc_trim</c>; a no-op on other platforms and C libraries).
/// </summary>
public static partial class HostHeap
{
    [LibraryImport("libc", EntryPoint = "malloc_trim")]
    private static partial int MallocTrim(nuint pad);

    static bool unavailable = !OperatingSystem.IsLinux();

    /// <summary>Returns the free pages of malloc's arenas to the OS where the C library can.</summary>
    public static void ReturnFreePages()
    {
        if (unavailable) return;
        try { MallocTrim(0); }
        catch (Exception e) when (e is EntryPointNotFoundException or DllNotFoundException) { unavailable = true; }
    }
}
