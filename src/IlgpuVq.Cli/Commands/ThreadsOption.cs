using System.CommandLine;
using IlgpuVq.Engine.Native;

namespace IlgpuVq.Cli.Commands;

/// <summary>
/// <c>--threads T</c>, accepted by every command: how many threads the native <c>cpu</c> backend uses (default 0 = all
/// cores). Results do not depend on it (native work is split by the problem, not by the thread count).
/// </summary>
public static class ThreadsOption
{
    public const string Name = "--threads";

    public static Option<int> Create() => new(Name)
    {
        Description = "threads of the native cpu backend (0 = all cores); results are the same for any count",
        DefaultValueFactory = _ => 0,
        Recursive = true,
    };

    /// <summary>Sets <see cref="NativeParallel.Workers"/> from the parsed option (if the command line has it).</summary>
    public static void Apply(ParseResult parse)
    {
        if (parse.RootCommandResult.Command.Options.All(o => o.Name != Name)) return;
        int threads = parse.GetValue<int>(Name);
        if (threads < 0) throw new UserError($"{Name} must be at least 1 (or 0 for all cores), got {threads}");
        NativeParallel.Workers = threads == 0 ? Environment.ProcessorCount : threads;
    }
}
