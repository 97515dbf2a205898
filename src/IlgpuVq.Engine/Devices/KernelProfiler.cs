using System.Linq.Expressions;
using System.Reflection;
using IlgpuVq.Kernels;

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
/// Per-kernel timing. While a device has a profiler attached, every launch is bracketed by two <see cref="KernelMark"/>s
/// of its backend — ILGPU profiling markers (events in the accelerator's stream; nothing synchronizes between launches) or
/// the host clock on the synchronous native backend — and its flops (the cost declared with its slot) and bytes (<see cref="KernelCost"/>) are recorded.
/// <see cref="Timings"/> waits for the marks and adds them up. Only <c>ilgpuvq profile</c> attaches a profiler.
/// </summary>
public sealed class KernelProfiler
{
    readonly List<(string Name, string Impl, KernelMark Start, KernelMark End, double Flops, double Bytes)> pending = new();
    readonly Dictionary<string, (string Impl, long Calls, double Ms, double Flops, double Bytes)> totals = new();
    readonly object gate = new();
    string? op;

    /// <summary>Keep convolutions apart by geometry (<see cref="ShapeOf"/>): one row per kernel and layer shape instead of one per kernel
    /// (<c>ilgpuvq profile --by-shape</c>).</summary>
    public bool ByShape { get; init; }

    /// <summary>Attributes launches to an op while open (<see cref="ComputeDevice.ProfileAs"/>); restores the previous op when disposed.</summary>
    public readonly struct OpScope : IDisposable
    {
        readonly KernelProfiler? profiler;
        readonly string? previous;

        internal OpScope(KernelProfiler? profiler, string op)
        {
            this.profiler = profiler;
            if (profiler == null) return;
            previous = profiler.op;
            profiler.op = op;
        }

        public void Dispose()
        {
            if (profiler != null) profiler.op = previous;
        }
    }

    public void Reset()
    {
        lock (gate)
        {
            foreach (var p in pending) { p.Start.Dispose(); p.End.Dispose(); }
            pending.Clear();
            totals.Clear();
        }
    }

    /// <summary>Totals per kernel, slowest first (waits for the marks of launches still queued).</summary>
    public IReadOnlyList<KernelTiming> Timings()
    {
        lock (gate)
        {
            foreach (var p in pending)
            {
                double ms = p.End.MillisecondsSince(p.Start);
                p.Start.Dispose();
                p.End.Dispose();
                totals.TryGetValue(p.Name, out var t);
                totals[p.Name] = (p.Impl, t.Calls + 1, t.Ms + ms, t.Flops + p.Flops, t.Bytes + p.Bytes);
            }
            pending.Clear();
            return totals.Select(kv => new KernelTiming(kv.Key, kv.Value.Impl, kv.Value.Calls, kv.Value.Ms, kv.Value.Flops, kv.Value.Bytes))
                .OrderByDescending(t => t.Milliseconds).ToList();
        }
    }

    /// <summary>A launcher of the same type that records <paramref name="slot"/>'s launches on <paramref name="backend"/>.</summary>
    internal T Wrap<T>(T launcher, KernelSlot<T> slot, IKernelBackend backend) where T : Delegate
    {
        var invoke = typeof(T).GetMethod("Invoke")!;
        var parameters = invoke.GetParameters().Select(p => Expression.Parameter(p.ParameterType, p.Name)).ToArray();
        var start = Expression.Variable(typeof(KernelMark), "start");
        var be = Expression.Constant(backend);
        var mark = typeof(IKernelBackend).GetMethod(nameof(IKernelBackend.Mark))!;
        var args = Expression.NewArrayInit(typeof(object), parameters.Select(p => Expression.Convert(p, typeof(object))));
        var body = Expression.Block([start],
            Expression.Assign(start, Expression.Call(be, mark)),
            Expression.Invoke(Expression.Constant(launcher), parameters),
            Expression.Call(Expression.Constant(this), typeof(KernelProfiler).GetMethod(nameof(Record), BindingFlags.NonPublic | BindingFlags.Instance)!,
                Expression.Constant(slot.Name), Expression.Constant(slot.Flops, typeof(Func<object[], double>)), Expression.Constant(backend.Implementation(slot)),
                start, Expression.Call(be, mark), args));
        return Expression.Lambda<T>(body, parameters).Compile();
    }

    /// <summary>"Cin→Cout KH×KW sS OH×OW" of the first <see cref="Conv2dGeometry"/> among a launch's arguments (the stride as
    /// sSH×SW when the two differ), or null.</summary>
    internal static string? ShapeOf(object[] args)
    {
        foreach (var a in args)
            if (a is Conv2dGeometry g)
                return $"{g.Cin}→{g.Cout} {g.KH}×{g.KW} s{(g.SH == g.SW ? $"{g.SH}" : $"{g.SH}×{g.SW}")} {g.OH}×{g.OW}";
        return null;
    }

    void Record(string name, Func<object[], double>? cost, string implementation, KernelMark start, KernelMark end, object[] args)
    {
        double flops = cost?.Invoke(args) ?? 0, bytes = KernelCost.Bytes(args);
        if (op != null) name = $"{name} ({op})";
        if (ByShape && ShapeOf(args) is { } shape) name = $"{name} {shape}";
        lock (gate) pending.Add((name, implementation, start, end, flops, bytes));
    }
}
