using System.Text.Json;
using IlgpuVq.Cli;

namespace IlgpuVq.Tests.Cli;

/// <summary>Runs the command line in-process for tests that check exit codes, <c>error:</c> lines and run folders.</summary>
public static class CliRun
{
    /// <summary>The exit code of <c>ilgpuvq ARGS</c> and what it wrote to standard error.</summary>
    public static (int Code, string Error) Run(params string[] args)
    {
        var error = new StringWriter();
        var old = Console.Error;
        Console.SetError(error);
        try { return (CliApp.Run(args), error.ToString()); }
        finally { Console.SetError(old); }
    }

    /// <summary>The MSE of a metrics JSON (a run's test_metrics.json or the one <c>reconstruct</c> writes).</summary>
    public static double TestMse(string path) => JsonSerializer.Deserialize<Dictionary<string, double>>(File.ReadAllText(path))!["mse"];
}
