namespace IlgpuVq.Engine.Native;

/// <summary>
/// The native CPU backend's parallel loop: all cores (or <see cref="Workers"/>), one call per work item, on the backend's
/// own <see cref="WorkerTeam"/> (the thread pool only when another host thread's loop holds the team).
/// Determinism rule for every native kernel: work items are fixed by the problem (never by the worker count) and each
/// output element is written by exactly one item in a fixed summation order, so results are bit-identical for any
/// number of workers and any scheduling.
/// </summary>
public static class NativeParallel
{
    static int workers = Environment.ProcessorCount;

    /// <summary>Threads the native backend uses (default: all logical processors). Set by <c>--threads</c>.</summary>
    public static int Workers
    {
        get => workers;
        set
        {
            if (value < 1) throw new ArgumentOutOfRangeException(nameof(value), $"threads must be ≥ 1, got {value}");
            workers = value;
        }
    }

    /// <summary>Runs <paramref name="body"/>(i) for every i in [0, <paramref name="count"/>), on up to <see cref="Workers"/> threads.</summary>
    public static void For(int count, Action<int> body)
    {
        if (count <= 0) return;
        if (count == 1 || workers == 1 || WorkerTeam.InsideLoop) // a loop inside a loop's item runs on that item's thread
        {
            for (int i = 0; i < count; i++) body(i);
            return;
        }
        if (WorkerTeam.TryRun(count, workers, body)) return;
        // The team is busy with another host thread's loop (tests run in parallel): the thread pool instead.
        Parallel.For(0, count, new ParallelOptions { MaxDegreeOfParallelism = workers }, body);
    }

    /// <summary>
    /// Splits [0, <paramref name="length"/>) into fixed blocks of <paramref name="block"/> elements and runs
    /// <paramref name="body"/>(start, end) for each block in parallel. Blocks depend only on length and block size.
    /// </summary>
    public static void ForBlocks(long length, int block, Action<long, long> body)
    {
        if (length <= 0) return;
        long blocks = (length + block - 1) / block;
        if (blocks == 1 || workers == 1)
        {
            for (long b = 0; b < blocks; b++) body(b * block, Math.Min(length, (b + 1) * block));
            return;
        }
        For((int)blocks, b => body((long)b * block, Math.Min(length, ((long)b + 1) * block)));
    }
}
