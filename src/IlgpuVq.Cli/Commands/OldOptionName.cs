using System.CommandLine;

namespace IlgpuVq.Cli.Commands;

/// <summary>
/// The old spelling of a renamed option, kept for one release as a hidden option of its own (System.CommandLine lists every
/// alias in <c>--help</c>): the current name wins when both are given.
/// </summary>
public static class OldOptionName
{
    /// <summary>A hidden option named <paramref name="oldName"/> standing for <paramref name="option"/>.</summary>
    public static Option<T> Create<T>(Option<T> option, string oldName) =>
        new(oldName) { Hidden = true, Description = $"old name of {option.Name}, kept for one release" };

    /// <summary>The value of <paramref name="option"/>, or of <paramref name="old"/> where only that is given.</summary>
    public static T? Value<T>(ParseResult parse, Option<T> option, Option<T> old) =>
        parse.GetResult(old) is { Implicit: false } && parse.GetResult(option) is not { Implicit: false } ? parse.GetValue(old) : parse.GetValue(option);

    /// <summary>Makes <paramref name="option"/> (or its old name) required: a command line with neither is the parser's error
    /// (and the help says so, as <see cref="Option.Required"/> would).</summary>
    public static void Require(Command command, Option option, Option old)
    {
        option.Required = false;
        option.Description += " (required)";
        command.Validators.Add(result =>
        {
            if (result.GetResult(option) is not { Implicit: false } && result.GetResult(old) is not { Implicit: false })
                result.AddError($"Option '{option.Name}' is required.");
        });
    }
}
