using System.CommandLine;
using System.Globalization;
using System.Text.Json;

namespace IlgpuVq.Cli.Commands;

/// <summary>
/// The options a training command ran with, recorded in config.json as <c>options</c> (every option of the command with
/// its effective value, given or default), so that <c>--resume</c> needs only <c>--out</c>: the run's own options are parsed
/// again, and an option given with <c>--resume</c> that differs from the run's is an error listing each difference.
/// <c>--epochs</c> may grow; <c>--device</c> (where it runs, not what it trains) may change.
/// </summary>
public static class RunArguments
{
    /// <summary>Options that are not settings of the run.</summary>
    static readonly HashSet<string> NotSettings = ["--out", "--resume", "--epochs", "--device"];

    /// <summary>Every option of the parsed command except <see cref="NotSettings"/> with a value, as invariant strings.</summary>
    public static IReadOnlyDictionary<string, string> Record(ParseResult parse)
    {
        var recorded = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (var option in parse.CommandResult.Command.Options)
            if (!NotSettings.Contains(option.Name) && Value(parse, option) is { } value) recorded[option.Name] = value;
        return recorded;
    }

    /// <summary>The effective value of an option (given or default) as an invariant string; null when it has none.</summary>
    internal static string? Value(ParseResult parse, Option option) => parse.GetResult(option)?.GetValueOrDefault<object?>() switch
    {
        null => null,
        bool b => b ? "true" : "false",
        float f => f.ToString("R", CultureInfo.InvariantCulture),
        double d => d.ToString("R", CultureInfo.InvariantCulture),
        IFormattable x => x.ToString(null, CultureInfo.InvariantCulture),
        var x => x.ToString(),
    };

    /// <summary><paramref name="parse"/>'s command parsed again with <paramref name="defaults"/> (option name → value) for every
    /// option the user did not give.</summary>
    public static ParseResult WithDefaults(ParseResult parse, IReadOnlyDictionary<string, string> defaults, string source)
    {
        var command = parse.CommandResult.Command;
        var args = new List<string>();
        foreach (var option in command.Options)
        {
            var value = parse.GetResult(option) is { Implicit: false } ? Value(parse, option) : defaults.GetValueOrDefault(option.Name);
            if (value != null) args.AddRange([option.Name, value]);
        }
        var again = command.Parse(args);
        if (again.Errors.Count > 0)
            throw new UserError($"the settings of {source} do not parse: {string.Join("; ", again.Errors.Select(e => e.Message))}");
        return again;
    }

    /// <summary>
    /// For <c>--resume</c>: the command line of the run in <paramref name="runFolder"/> (its recorded options, with the given
    /// <c>--out</c>, <c>--epochs</c> and <c>--device</c>) parsed again. Runs written before options were recorded keep the
    /// given command line.
    /// </summary>
    public static ParseResult ForResume(ParseResult parse, string runFolder)
    {
        var configPath = Path.Combine(runFolder, "config.json");
        if (!File.Exists(configPath)) throw new UserError($"--resume: '{runFolder}' has no config.json, so it is not a run folder to continue");
        var (recorded, runEpochs) = RunConfigJson.Read(configPath, root => (
            root.TryGetProperty("options", out var options) ? options.EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetString()!) : null,
            root.TryGetProperty("epochs", out var e) ? e.GetInt32() : 0));
        if (recorded == null) return parse;
        var command = parse.CommandResult.Command;
        var differences = new List<string>();
        foreach (var option in command.Options)
        {
            if (NotSettings.Contains(option.Name) || parse.GetResult(option) is not { Implicit: false }) continue;
            var given = Value(parse, option);
            var own = recorded.GetValueOrDefault(option.Name);
            if (given != own) differences.Add($"{option.Name} {given ?? "(none)"} (the run has {own ?? "none"})");
        }
        var epochsOption = command.Options.First(o => o.Name == "--epochs");
        var epochs = parse.GetResult(epochsOption)?.GetValueOrDefault<object?>() is int n ? n : runEpochs;
        if (epochs < runEpochs) differences.Add($"--epochs {epochs} (the run has {runEpochs}; --resume can only add epochs)");
        if (differences.Count > 0)
            throw new UserError($"--resume continues '{runFolder}' with its own settings (config.json); these options differ: {string.Join("; ", differences)}. " +
                                "Drop them, or start a new run with another --out");
        var args = new List<string> { "--out", runFolder, "--resume", "--epochs", epochs.ToString(CultureInfo.InvariantCulture) };
        var device = command.Options.First(o => o.Name == "--device");
        if (Value(parse, device) is { } d) args.AddRange(["--device", d]);
        foreach (var option in command.Options)
            if (recorded.TryGetValue(option.Name, out var value)) args.AddRange([option.Name, value]);
        var again = command.Parse(args);
        if (again.Errors.Count > 0)
            throw new UserError($"--resume: the options recorded in '{configPath}' no longer parse: {string.Join("; ", again.Errors.Select(x => x.Message))}");
        return again;
    }
}
