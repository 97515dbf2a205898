using System.Diagnostics;
using Spectre.Console;

namespace IlgpuVq.Cli.Commands;

/// <summary>
/// Progress of a sampling run over its code rows (batches × rows): a Spectre progress bar with ETA on a terminal, else plain
/// lines (at most one a second, and the last).
/// </summary>
public static class SamplingConsole
{
    /// <summary>Runs <paramref name="sample"/>, which reports (batch, rows completed in it) and gets back whether to go on (always).</summary>
    public static void Run(int batches, int rows, Action<Func<int, int, bool>> sample)
    {
        int total = batches * rows;
        if (Console.IsOutputRedirected || !AnsiConsole.Profile.Capabilities.Interactive)
        {
            var clock = Stopwatch.StartNew();
            double lastPrint = double.NegativeInfinity;
            sample((batch, done) =>
            {
                int units = batch * rows + done;
                double elapsed = clock.Elapsed.TotalSeconds;
                if (units == total || elapsed - lastPrint >= 1)
                {
                    lastPrint = elapsed;
                    Console.WriteLine($"sampling: batch {batch + 1}/{batches}, row {done}/{rows}, {elapsed:0.0} s, ETA {elapsed / units * (total - units):0.0} s");
                }
                return true;
            });
            return;
        }
        AnsiConsole.Progress()
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new RemainingTimeColumn(), new SpinnerColumn())
            .Start(ctx =>
            {
                var task = ctx.AddTask("sampling rows", maxValue: total);
                sample((batch, done) =>
                {
                    task.Value = batch * rows + done;
                    task.Description = $"sampling: batch {batch + 1}/{batches}, row {done}/{rows}";
                    return true;
                });
            });
    }
}
