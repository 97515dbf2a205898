using System.CommandLine;

namespace IlgpuVq.Cli;

/// <summary>Runs a parsed command line; user errors (<see cref="UserError"/>, the parser's errors) become one clear line on stderr
/// and exit code 2, never a stack trace; any other exception is a bug and propagates with its stack trace.</summary>
public static class CliRunner
{
    public static int Run(RootCommand root, string[] args)
    {
        // Redirected output (logs, CI) gets tables as wide as their content instead of wrapped at 80 columns.
        if (Console.IsOutputRedirected && Spectre.Console.AnsiConsole.Profile.Width < 160) Spectre.Console.AnsiConsole.Profile.Width = 160;
        int workers = IlgpuVq.Engine.Native.NativeParallel.Workers;
        try
        {
            var parse = root.Parse(args);
            if (parse.Errors.Count > 0)
            {
                // The parser's errors (unknown option, a value outside an option's allowed set, a missing required option) are user errors too.
                Console.Error.WriteLine($"error: {OneLine(parse.Errors[0].Message)}");
                return 2;
            }
            Commands.ThreadsOption.Apply(parse);
            return parse.Invoke(new InvocationConfiguration { EnableDefaultExceptionHandler = false });
        }
        catch (Exception e) when (UserError.From(e) is { } user)
        {
            Console.Error.WriteLine($"error: {OneLine(user.Message)}");
            return 2;
        }
        finally
        {
            IlgpuVq.Engine.Native.NativeParallel.Workers = workers; // in-process callers (tests) get their setting back
        }
    }

    /// <summary>A message on one line (the parser's and some libraries' messages span several).</summary>
    static string OneLine(string message) =>
        string.Join(' ', message.Split('\n', '\r', '\t').Where(s => s.Length > 0).Select(s => s.Trim()).Where(s => s.Length > 0));
}
