using IlgpuVq.Cli.Commands;
using IlgpuVq.Models.Training;

namespace IlgpuVq.Tests.Cli;

/// <summary>The one Ctrl+C path of the trainers: how a run ended is one line, and an interrupted run names its resume command.</summary>
[Collection(nameof(IlgpuVq.Tests.Backends.ProfilerCollection))] // redirects the process-wide console
public sealed class CtrlCStopTests
{
    static string Output(TrainResult result)
    {
        var output = new StringWriter();
        var old = Console.Out;
        Console.SetOut(output);
        try
        {
            Assert.Equal(0, CtrlCStop.Train("train prior", "runs/p1", cancel =>
            {
                Assert.False(cancel.IsCancellationRequested);
                Assert.True(cancel.CanBeCanceled);
                return result;
            }));
        }
        finally { Console.SetOut(old); }
        return output.ToString().Trim();
    }

    [Fact]
    public void AnInterruptedRunNamesItsResumeCommand() =>
        Assert.Equal("stopped at step 17; resume with: ilgpuvq train prior --resume --out runs/p1", Output(new TrainResult(1, 17, Interrupted: true, [])));

    [Fact]
    public void AFinishedRunNamesItsFolder() => Assert.Equal("done: runs/p1", Output(new TrainResult(2, 40, Interrupted: false, [])));
}
