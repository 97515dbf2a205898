using IlgpuVq.Cli;
using IlgpuVq.Engine.Native;

namespace IlgpuVq.Tests.Cli;

/// <summary><c>--threads</c> is accepted by every command, validated, and restored after an in-process run.</summary>
public class ThreadsOptionTests
{
    [Fact]
    public void EveryCommandTakesThreadsAndTheSettingIsRestored()
    {
        int before = NativeParallel.Workers;
        Assert.Equal(0, CliApp.Run(["devices", "--threads", "1"]));
        Assert.Equal(0, CliApp.Run(["bench", "step", "--preset", "demo", "--batch", "2", "--image-size", "16", "--steps", "1", "--threads", "1"]));
        Assert.Equal(before, NativeParallel.Workers);
    }

    [Fact]
    public void NegativeThreadCountIsAUserError() => Assert.Equal(2, CliApp.Run(["devices", "--threads", "-1"]));

    [Fact]
    public void NonNumericThreadCountIsAParseError() => Assert.Equal(2, CliApp.Run(["devices", "--threads", "many"]));
}
