using IlgpuVq.Models.Training;

namespace IlgpuVq.Cli.Commands;

/// <summary>
/// Ctrl+C while a trainer runs (<c>train vqvae</c>, <c>train prior</c>, <c>train classifier</c>, <c>demo</c>): the first one
/// requests a clean stop (the training loop finishes the batch, saves a checkpoint and returns an interrupted result), a
/// second one ends the process. The handler is installed for the lifetime of this object only.
/// </summary>
public sealed class CtrlCStop : IDisposable
{
    readonly CancellationTokenSource cts = new();

    public CtrlCStop() => Console.CancelKeyPress += OnCancelKey;

    /// <summary>Cancelled by the first Ctrl+C.</summary>
    public CancellationToken Token => cts.Token;

    void OnCancelKey(object? sender, ConsoleCancelEventArgs e)
    {
        if (cts.IsCancellationRequested) return; // a second Ctrl+C kills the process
        e.Cancel = true;
        Console.Error.WriteLine("stopping after this batch: saving a checkpoint…");
        cts.Cancel();
    }

    public void Dispose()
    {
        Console.CancelKeyPress -= OnCancelKey;
        cts.Dispose();
    }

    /// <summary>Runs one training command with Ctrl+C as a clean stop and prints how it ended: the run folder, or the command
    /// line that continues it (<c>--resume</c> needs only <c>--out</c>: the run's options come from its config.json).</summary>
    public static int Train(string command, string outDir, Func<CancellationToken, TrainResult> train)
    {
        using var stop = new CtrlCStop();
        var result = train(stop.Token);
        Console.WriteLine(result.Interrupted ? $"stopped at step {result.Steps}; resume with: ilgpuvq {command} --resume --out {outDir}" : $"done: {outDir}");
        return 0;
    }
}
