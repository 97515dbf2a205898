using System.Diagnostics;
using System.Runtime.CompilerServices;

namespace IlgpuVq.Engine.Native;

/// <summary>
/// The native backend's own fork/join team (OpenMP-style): dedicated background threads that spin for a while after each
/// parallel loop before they block, so the next loop — one per kernel, thousands per training step — starts on threads
/// that are already running. The calling thread works too; items are claimed one at a time from a shared counter, and
/// which thread runs an item never changes what it computes (see <see cref="NativeParallel"/>).
/// One loop at a time: <see cref="TryRun"/> returns false for a loop started while the team is busy with another host
/// thread's loop or from inside a loop's body (<see cref="InsideLoop"/>), and the caller runs it another way.
/// </summary>
static class WorkerTeam
{
    /// <summary>How long an idle worker polls for the next loop before it blocks (the gaps between a step's kernels are
    /// mostly far shorter).</summary>
    static readonly long SpinTicks = Stopwatch.Frequency / 2000; // 0.5 ms

    /// <summary>One parallel loop: items [0, Count) of Body, claimed through Next; Done counts finished items.</summary>
    sealed class Job(Action<int> body, int count, int helpers)
    {
        public readonly Action<int> Body = body;
        public readonly int Count = count;
        /// <summary>Workers 0 … Helpers−1 take part (the loop's thread count minus the caller).</summary>
        public readonly int Helpers = helpers;
        public int Next;
        public int Done;
        public Exception? Error;

        /// <summary>Runs items until none is left to claim.</summary>
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public void Work()
        {
            int i;
            while ((i = Interlocked.Increment(ref Next) - 1) < Count)
            {
                try { Body(i); }
                catch (Exception e) { Interlocked.CompareExchange(ref Error, e, null); }
                Interlocked.Increment(ref Done);
            }
        }
    }

    static readonly object gate = new(), sleep = new();
    static readonly List<Thread> workers = new();
    static Job? current;
    static int sleeping;
    [ThreadStatic] static bool inLoop;

    /// <summary>Whether the calling thread is running an item of a loop (a worker, or a caller inside its loop).</summary>
    public static bool InsideLoop => inLoop;

    /// <summary>
    /// Runs body(i) for i in [0, count) on the calling thread and up to <paramref name="threads"/> − 1 workers, and returns
    /// when all have finished (rethrowing the first exception of a body); false, with nothing run, when the team is busy or
    /// the call comes from inside a loop.
    /// </summary>
    public static bool TryRun(int count, int threads, Action<int> body)
    {
        if (inLoop || !Monitor.TryEnter(gate)) return false;
        try
        {
            int helpers = Math.Min(threads, count) - 1;
            Grow(helpers);
            var job = new Job(body, count, helpers);
            Interlocked.Exchange(ref current, job); // a full fence before the read of sleeping (pairs with Wait's)
            if (Volatile.Read(ref sleeping) > 0)
                lock (sleep) Monitor.PulseAll(sleep);
            inLoop = true;
            try { job.Work(); }
            finally { inLoop = false; }
            var spin = new SpinWait();
            while (Volatile.Read(ref job.Done) < count) spin.SpinOnce(sleep1Threshold: -1);
            if (job.Error != null) throw new AggregateException(job.Error);
            return true;
        }
        finally { Monitor.Exit(gate); }
    }

    /// <summary>Starts workers until there are at least <paramref name="count"/> (called under the gate).</summary>
    static void Grow(int count)
    {
        while (workers.Count < count)
        {
            int index = workers.Count;
            var t = new Thread(() => WorkerLoop(index)) { IsBackground = true, Name = $"ilgpuvq native worker {index + 1}" };
            workers.Add(t);
            t.Start();
        }
    }

    // The worker's loop and wait are compiled fully optimised at once: they never return, so tiered compilation would run
    // them as tier-0 code until on-stack replacement.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    static void WorkerLoop(int index)
    {
        inLoop = true;
        Job? seen = null;
        while (true)
        {
            var job = Wait(seen);
            seen = job;
            if (index < job.Helpers) job.Work();
        }
    }

    /// <summary>The next loop after <paramref name="seen"/>: polled for <see cref="SpinTicks"/>, then waited for blocked.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    static Job Wait(Job? seen)
    {
        long until = Stopwatch.GetTimestamp() + SpinTicks;
        var spin = new SpinWait();
        while (Stopwatch.GetTimestamp() < until)
        {
            var job = Volatile.Read(ref current);
            if (job != seen) return job!;
            spin.SpinOnce(sleep1Threshold: -1);
        }
        lock (sleep)
        {
            Interlocked.Increment(ref sleeping); // a full fence before the read of current (pairs with TryRun's)
            try
            {
                Job? job;
                while ((job = Volatile.Read(ref current)) == seen) Monitor.Wait(sleep);
                return job!;
            }
            finally { Interlocked.Decrement(ref sleeping); }
        }
    }
}
