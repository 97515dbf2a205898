using System.Diagnostics;
using System.Linq.Expressions;
using System.Reflection;

namespace IlgpuVq.Engine.Devices;

/// <summary>Calls, time and work of one kernel while profiling (totals over the profiled steps).</summary>
public sealed record KernelTiming(string Kernel, string Implementation, long Calls, double Milliseconds, double Flops, double Bytes)
{
    /// <summary>GFLOP/s, or null for kernels counted in bytes only.</summary>
    public double? Gflops => Flops > 0 && Milliseconds > 0 ? Flops / Milliseconds / 1e6 : null;
    /// <summary>GB/s over the bytes of the views passed (see <see cref="KernelCost.Bytes"/>).</summary>
    public double? GigabytesPerSecond => Bytes > 0 && Milliseconds > 0 ? Bytes / Milliseconds / 1e6 : null;
}

/// <summary>
/// Per-kernel timing. While a device has a profiler attached, every kernel launch is wrapped so that the backend is
/// synchronized before and after it and the elapsed time, the launch's flops and bytes (<see cref="KernelCost"/>) are
/// charged to the kernel. This serializes the program (no overlap of launches), so it is only for <c>ilgpuvq profile</c>,
/// never for normal runs, which do not synchronize between ops.
/// </summary>
public sealed class KernelProfiler
{
    readonly Dictionary<string, (string Impl, long Calls, double Ms, double Flops, double Bytes)> totals = new();
    readonly object gate = new();

    public void Reset()
    {
        lock (gate) totals.Clear();
    }

    public IReadOnlyList<KernelTiming> Timings()
    {
        lock (gate)
            return totals.Select(kv => new KernelTiming(kv.Key, kv.Value.Impl, kv.Value.Calls, kv.Value.Ms, kv.Value.Flops, kv.Value.Bytes))
                .OrderByDescending(t => t.Milliseconds).ToList();
    }

    internal T Wrap<T>(T launcher, MethodInfo kernel, string name, string implementation, IKernelBackend backend) where T : Delegate
    {
        var invoke = typeof(T).GetMethod("Invoke")!;
        var parameters = invoke.GetParameters().Select(p => Expression.Parameter(p.ParameterType, p.Name)).ToArray();
        var start = Expression.Variable(typeof(long), "start");
        var self = Expression.Constant(this);
        var be = Expression.Constant(backend);
        var args = Expression.NewArrayInit(typeof(object), parameters.Select(p => Expression.Convert(p, typeof(object))));
        const BindingFlags flags = BindingFlags.NonPublic | BindingFlags.Instance;
        var body = Expression.Block([start],
            Expression.Assign(start, Expression.Call(self, typeof(KernelProfiler).GetMethod(nameof(Begin), flags)!, be)),
            Expression.Invoke(Expression.Constant(launcher), parameters),
            Expression.Call(self, typeof(KernelProfiler).GetMethod(nameof(End), flags)!, be, Expression.Constant(kernel),
                Expression.Constant(name), Expression.Constant(implementation), start, args));
        return Expression.Lambda<T>(body, parameters).Compile();
    }

    long Begin(IKernelBackend backend)
    {
        backend.Synchronize();
        return Stopwatch.GetTimestamp();
    }

    void End(IKernelBackend backend, MethodInfo kernel, string name, string implementation, long start, object[] args)
    {
        backend.Synchronize();
        var ms = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
        double flops = KernelCost.Flops(kernel, args), bytes = KernelCost.Bytes(args);
        lock (gate)
        {
            totals.TryGetValue(name, out var t);
            totals[name] = (implementation, t.Calls + 1, t.Ms + ms, t.Flops + flops, t.Bytes + bytes);
        }
    }
}
