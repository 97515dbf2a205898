using System.Linq.Expressions;
using ILGPU;

namespace IlgpuVq.Engine.Native;

/// <summary>
/// Runs a grid-stride kernel of <c>kernels/</c> directly as .NET code on host threads, for kernels that have no
/// hand-written native version (cheap ones: index shuffles, small reductions, codebook maintenance, RNG). Every grid-stride
/// kernel uses <c>total</c> only as the bound of its loop <c>for (item = thread; item &lt; total; item += stride)</c>, so
/// calling it with (thread = start, total = end, stride = 1) runs exactly the items [start, end) in order: the launch is
/// split into a few contiguous blocks, one per task (no false sharing, no simulator). Each item is computed by the same
/// code as on the GPU, so results equal the ILGPU backend's bit for bit.
/// </summary>
public static class HostGrid
{
    /// <summary>Below this many items a launch runs on the calling thread.</summary>
    public const int SerialBelow = 4096;

    /// <summary>A launcher of type <typeparamref name="T"/> that runs <paramref name="kernel"/> in contiguous blocks on host threads.</summary>
    public static T Wrap<T>(T kernel) where T : Delegate
    {
        var parameters = typeof(T).GetMethod("Invoke")!.GetParameters().Select(p => Expression.Parameter(p.ParameterType, p.Name)).ToArray();
        var start = Expression.Parameter(typeof(int), "start");
        var end = Expression.Parameter(typeof(int), "end");
        var args = new List<Expression> { Expression.New(typeof(Index1D).GetConstructor([typeof(int)])!, start), end, Expression.Constant(1) };
        args.AddRange(parameters.Skip(3));
        var block = Expression.Lambda<Action<int, int>>(Expression.Call(kernel.Method, args), start, end);
        var run = Expression.Call(typeof(HostGrid).GetMethod(nameof(Run))!, parameters[1], block);
        return Expression.Lambda<T>(run, parameters).Compile();
    }

    /// <summary>Calls <paramref name="block"/>(start, end) over a partition of [0, <paramref name="total"/>) into contiguous blocks.</summary>
    public static void Run(int total, Action<int, int> block)
    {
        if (total <= 0) return;
        int workers = NativeParallel.Workers;
        if (workers == 1 || total < 2)
        {
            block(0, total);
            return;
        }
        // Cheap items (elementwise) come in large counts, expensive ones (tiles) in small counts: a few blocks per worker
        // balance both; tiny launches stay on this thread.
        int blocks = total < SerialBelow && total < 64 * workers ? Math.Min(total, workers) : Math.Min(total, 4 * workers);
        if (total < SerialBelow / 16) blocks = 1;
        if (blocks == 1)
        {
            block(0, total);
            return;
        }
        NativeParallel.For(blocks, b => block((int)((long)total * b / blocks), (int)((long)total * (b + 1) / blocks)));
    }
}
