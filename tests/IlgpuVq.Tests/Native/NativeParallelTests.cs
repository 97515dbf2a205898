using IlgpuVq.Engine.Native;

namespace IlgpuVq.Tests.Native;

/// <summary>
/// <see cref="NativeParallel.For"/> and its <see cref="WorkerTeam"/>: every item exactly once, on several threads, with
/// exceptions, nesting and concurrent callers. Thread counts are given to the team directly (other test classes set
/// <see cref="NativeParallel.Workers"/> while these run); a call the team refuses because another test's loop holds it
/// is retried.
/// </summary>
public class NativeParallelTests
{
    static void OnTeam(int count, int threads, Action<int> body)
    {
        while (!WorkerTeam.TryRun(count, threads, body)) Thread.Yield();
    }

    [Theory]
    [InlineData(1, 1)]
    [InlineData(2, 2)]
    [InlineData(2, 1000)]
    [InlineData(3, 7)]
    [InlineData(5, 64)]
    public void EveryItemRunsExactlyOnce(int threads, int count)
    {
        for (int round = 0; round < 50; round++)
        {
            var hits = new int[count];
            OnTeam(count, threads, i => Interlocked.Increment(ref hits[i]));
            Assert.All(hits, h => Assert.Equal(1, h));
        }
    }

    [Fact]
    public void ItemsRunOnMoreThanOneThread()
    {
        var seen = new HashSet<int>();
        for (int round = 0; round < 200 && seen.Count < 2; round++)
            OnTeam(2, 2, _ =>
            {
                Thread.Sleep(1); // long enough that the caller cannot take both items before the worker wakes
                lock (seen) seen.Add(Environment.CurrentManagedThreadId);
            });
        Assert.Equal(2, seen.Count);
    }

    [Fact]
    public void AnExceptionInAnItemReachesTheCallerAfterTheOtherItemsRan()
    {
        int ran = 0;
        var e = Assert.Throws<AggregateException>(() => OnTeam(16, 2, i =>
        {
            Interlocked.Increment(ref ran);
            if (i == 5) throw new InvalidOperationException("item 5");
        }));
        Assert.Contains(e.Flatten().InnerExceptions, x => x.Message == "item 5");
        Assert.Equal(16, ran);
        // The team is usable again afterwards.
        int after = 0;
        OnTeam(8, 2, _ => Interlocked.Increment(ref after));
        Assert.Equal(8, after);
    }

    [Fact]
    public void ALoopInsideAnItemRunsOnThatItemsThread()
    {
        var hits = new int[6, 9];
        var inner = new int[6];
        OnTeam(6, 2, i =>
        {
            int thread = Environment.CurrentManagedThreadId;
            Assert.True(WorkerTeam.InsideLoop);
            NativeParallel.For(9, j =>
            {
                Interlocked.Increment(ref hits[i, j]);
                if (Environment.CurrentManagedThreadId != thread) Interlocked.Increment(ref inner[i]);
            });
        });
        foreach (int h in hits) Assert.Equal(1, h);
        Assert.All(inner, n => Assert.Equal(0, n));
        Assert.False(WorkerTeam.InsideLoop);
    }

    [Fact]
    public void ConcurrentCallersFromSeveralThreadsAllComplete()
    {
        const int callers = 4, rounds = 200, count = 33;
        var totals = new long[callers];
        var threads = Enumerable.Range(0, callers).Select(c => new Thread(() =>
        {
            for (int r = 0; r < rounds; r++) NativeParallel.For(count, i => Interlocked.Add(ref totals[c], i + 1));
        })).ToArray();
        foreach (var t in threads) t.Start();
        foreach (var t in threads) Assert.True(t.Join(TimeSpan.FromMinutes(2)), "a caller did not finish");
        Assert.All(totals, t => Assert.Equal((long)rounds * count * (count + 1) / 2, t));
    }
}
