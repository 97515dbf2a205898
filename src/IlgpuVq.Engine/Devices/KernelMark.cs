using System.Diagnostics;
using ILGPU.Runtime;

namespace IlgpuVq.Engine.Devices;

/// <summary>
/// A point in a backend's queue of work, for timing launches without synchronizing between them: an ILGPU profiling marker
/// (a CUDA/OpenCL event on a GPU) or, on the synchronous native backend, the host clock.
/// </summary>
public abstract class KernelMark : IDisposable
{
    /// <summary>Milliseconds from <paramref name="start"/> to this mark (waits until this mark is reached).</summary>
    public abstract double MillisecondsSince(KernelMark start);
    public virtual void Dispose() { }
}

/// <summary>An ILGPU profiling marker in the accelerator's default stream (the context is created with profiling on).</summary>
public sealed class StreamMark(ProfilingMarker marker) : KernelMark
{
    public override double MillisecondsSince(KernelMark start) => marker.MeasureFrom(((StreamMark)start).Marker).TotalMilliseconds;
    ProfilingMarker Marker => marker;
    public override void Dispose() => marker.Dispose();
}

/// <summary>The host clock, for backends whose launches return when their work is done.</summary>
public sealed class HostMark : KernelMark
{
    readonly long ticks = Stopwatch.GetTimestamp();
    public override double MillisecondsSince(KernelMark start) => Stopwatch.GetElapsedTime(((HostMark)start).ticks, ticks).TotalMilliseconds;
}
