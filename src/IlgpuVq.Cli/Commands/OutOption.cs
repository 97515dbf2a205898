using System.CommandLine;

namespace IlgpuVq.Cli.Commands;

/// <summary>
/// <c>--out</c>, the one output option: a folder on every command that writes files (created when missing), which the
/// command names its files inside (README, "Command-line conventions"). <c>sample</c> and <c>reconstruct</c> took a PNG
/// file before; for one release <c>--out FILE.png</c> still writes that file (with a warning on stderr).
/// </summary>
public static class OutOption
{
    public const string Name = "--out";

    /// <summary><c>--out</c> described by what the folder gets; required unless <paramref name="defaultFolder"/> is given.</summary>
    public static Option<string> Create(string contents, string? defaultFolder = null)
    {
        var option = new Option<string>(Name) { Description = $"output folder: {contents}", Required = defaultFolder == null };
        if (defaultFolder != null) option.DefaultValueFactory = _ => defaultFolder;
        option.Validators.Add(result =>
        {
            if (result.GetValueOrDefault<string>() is { } value && System.IO.File.Exists(value) && !IsOldFileSpelling(value))
                result.AddError($"{Name} '{value}' is a file; {Name} is a folder (the command names its files inside it)");
        });
        return option;
    }

    /// <summary>True for the old spelling of <c>sample</c> and <c>reconstruct</c>: <c>--out</c> naming a PNG file.</summary>
    public static bool IsOldFileSpelling(string value) => Path.GetExtension(value).Equals(".png", StringComparison.OrdinalIgnoreCase);

    /// <summary>The path of the file <paramref name="name"/> inside the <c>--out</c> folder <paramref name="value"/> (created), or
    /// <paramref name="value"/> itself in the old spelling (its folder created, a warning printed).</summary>
    public static string File(string value, string name)
    {
        if (!IsOldFileSpelling(value))
        {
            Directory.CreateDirectory(value);
            return Path.Combine(value, name);
        }
        Console.Error.WriteLine($"warning: {Name} {value}: {Name} is a folder now ({name} is written inside it); a file name is the old spelling, kept for one release");
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(value))!);
        return value;
    }
}
