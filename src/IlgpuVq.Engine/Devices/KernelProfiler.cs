using System.Diagnostics;
using System.Linq.Expressions;
using ILGPU.Runtime;

namespace IlgpuVq.Engine.Devices;

/// <summary>Calls and time of one kernel while profiling.</summary>
public sealed record KernelTiming(string Kernel, long Calls, double Milliseconds);

/// <summary>
/// Per-kernel timing. While a device has a profiler attached, every kernel launch is wrapped so that the
/// device is synchronized before and after it and the elapsed time is charged to the kernel. This changes
/// the timing of the whole program (no overlap), so it is only for <c>ilgpuvq profile</c>, never for
/// normal runs.
/// </summary>
public sealed class KernelProfiler
{
    readonly Dictionary<string, (long Calls, double Ms)> totals = new();
    readonly object gate = new();

    public void Reset()
    {
        lock (gate) totals.Clear();
    }

    public IReadOnlyList<KernelTiming> Timings()
    {
        lock (gate) return totals.Select(kv => new KernelTiming(kv.Key, kv.Value.Calls, kv.Value.Ms)).OrderByDescending(t => t.Milliseconds).ToList();
    }

    internal T Wrap<T>(T launcher, string name, IKernelBackend backend) where T : Delegate
    {
        var invoke = typeof(T).GetMethod("Invoke")!;
        var parameters = invoke.GetParameters().Select(p => Expression.Parameter(p.ParameterType, p.Name)).ToArray();
        var start = Expression.Variable(typeof(long), "start");
        var self = Expression.Constant(this);
        var acc = Expression.Constant(backend);
        var body = Expression.Block([start],
            Expression.Assign(start, Expression.Call(self, typeof(KernelProfiler).GetMethod(nameof(Begin), System.Reflection.BindingFlags.NonPublic | System.Reflection.BindingFlags.Instance)!, acc)),
            Expression.Invoke(Expression.Constant(launcher), parameters),
            Expression.Call(self, typeof(KernelProfiler).GetMethod(nameof(End), System.Reflection.BindingFlags.NonPublic | System.Reflection.BindingFlags.Instance)!, acc, Expression.Constant(name), start));
        return Expression.Lambda<T>(body, parameters).Compile();
    }

    long Begin(IKernelBackend backend)
    {
        backend.Synchronize();
        return Stopwatch.GetTimestamp();
    }

    void End(IKernelBackend backend, string name, long start)
    {
        backend.Synchronize();
        var ms = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
        lock (gate)
        {
            totals.TryGetValue(name, out var t);
            totals[name] = (t.Calls + 1, t.Ms + ms);
        }
    }
}
