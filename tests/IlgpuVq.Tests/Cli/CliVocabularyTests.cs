using System.CommandLine;
using IlgpuVq.Cli;
using IlgpuVq.Cli.Commands;

namespace IlgpuVq.Tests.Cli;

/// <summary>One vocabulary across the command tree: the same option name means the same thing with the same type on every
/// command, fixed value sets are the parser's, old spellings are hidden, and only user errors lose their stack trace.</summary>
public sealed class CliVocabularyTests
{
    static IEnumerable<(string Path, Option Option)> Options(Command command, string path = "ilgpuvq")
    {
        foreach (var o in command.Options) yield return (path, o);
        foreach (var sub in command.Subcommands)
            foreach (var x in Options(sub, $"{path} {sub.Name}"))
                yield return x;
    }

    static readonly List<(string Path, Option Option)> All = Options(CliApp.CreateRoot()).ToList();

    /// <summary>A command line of the command at <paramref name="path"/> with every required option given (so the parser gets to
    /// the option under test: a command's own validators run first) and <paramref name="tail"/>.</summary>
    static ParseResult Parse(string path, string tail)
    {
        var command = path["ilgpuvq".Length..].Trim();
        var required = All.Where(x => x.Path == path && x.Option.Required && !tail.StartsWith(x.Option.Name + " ")).Select(x => $"{x.Option.Name} x");
        var eitherOr = command switch { "sample" => " --out x", "reconstruct" => " --vqvae x", _ => "" }; // an option or its old name
        return CliApp.CreateRoot().Parse($"{command} {string.Join(' ', required)}{eitherOr} {tail}");
    }

    static object? Default(Option option) => option.GetType().GetProperty("DefaultValueFactory")!.GetValue(option) is Delegate d
        ? d.DynamicInvoke([null]) : null;

    [Fact]
    public void SeedIsAnIntDefaultingToZeroOnEveryCommand()
    {
        var seeds = All.Where(x => x.Option.Name == SeedOption.Name).ToList();
        Assert.True(seeds.Count >= 9, $"--seed on {seeds.Count} commands"); // demo, data stats/synth, train x3, reconstruct, sample, evaluate, bench sample
        foreach (var (path, option) in seeds)
        {
            Assert.True(option is Option<int>, $"{path} --seed is {option.GetType().Name}");
            Assert.Equal(0, Default(option));
        }
    }

    [Fact]
    public void OutIsAFolderOnEveryCommandThatWritesFiles()
    {
        var outs = All.Where(x => x.Option.Name == OutOption.Name).Select(x => x.Path).ToList();
        foreach (var command in new[] { "demo", "data stats", "data synth", "train vqvae", "train prior", "train classifier", "sample", "reconstruct", "evaluate", "kernels" })
            Assert.Contains($"ilgpuvq {command}", outs);
        foreach (var (path, option) in All.Where(x => x.Option.Name == OutOption.Name))
            Assert.True(option.Description!.StartsWith("output folder: "), $"{path} --out: {option.Description}");
        Assert.DoesNotContain(All, x => x.Option.Name == "--out-file" || (x.Option.Name == "--out-dir" && !x.Option.Hidden));
    }

    [Fact]
    public void OldSpellingsAreHidden()
    {
        foreach (var name in new[] { "--batch", "--checkpoint", "--out-dir" })
            Assert.All(All.Where(x => x.Option.Name == name), x => Assert.True(x.Option.Hidden, $"{x.Path} {name} is listed in --help"));
        Assert.All(All.Where(x => x.Option.Name == "--vqvae"), x => Assert.False(x.Option.Hidden));
        Assert.Contains(All, x => x.Path == "ilgpuvq reconstruct" && x.Option.Name == "--vqvae");
    }

    [Theory]
    [InlineData("auto", true)]
    [InlineData("cpu", true)]
    [InlineData("CPU-SIM", true)]
    [InlineData("cpu-sim:nvidia", true)]
    [InlineData("cpu:nvidia", true)]
    [InlineData("cuda", true)]
    [InlineData("cuda:1", true)]
    [InlineData("opencl:12", true)]
    [InlineData("cud", false)]
    [InlineData("cuda:", false)]
    [InlineData("cuda:x", false)]
    [InlineData("gpu", false)]
    [InlineData("cpu-sim:amd", false)]
    public void DeviceKindsAreTheParsers(string device, bool valid)
    {
        foreach (var (path, option) in All.Where(x => x.Option.Name == "--device"))
        {
            var command = Parse(path, $"--device {device}");
            bool deviceError = command.Errors.Any(e => e.Message.Contains("--device"));
            Assert.True(valid ? command.Errors.Count == 0 : deviceError, $"{path} --device {device}: {string.Join("; ", command.Errors.Select(e => e.Message))}");
            if (!valid) Assert.Contains(DeviceOption.Kinds, command.Errors.First(e => e.Message.Contains("--device")).Message);
        }
    }

    [Theory]
    [InlineData("--sampler")]
    [InlineData("--preset")]
    [InlineData("--model")]
    [InlineData("--split")]
    [InlineData("--emit")]
    public void FixedValueSetsAreDeclaredToTheParser(string name)
    {
        var options = All.Where(x => x.Option.Name == name).ToList();
        Assert.NotEmpty(options);
        foreach (var (path, option) in options)
        {
            var parse = Parse(path, $"{name} no-such-value");
            Assert.True(parse.Errors.Any(e => e.Message.Contains("no-such-value")), $"{path} {name} accepted a value outside its set");
        }
    }

    [Fact]
    public void SeedStreamIsTheSeedsBits()
    {
        Assert.Equal(3UL, SeedOption.Stream(3));
        Assert.Equal((ulong)int.MaxValue, SeedOption.Stream(int.MaxValue));
        Assert.Equal(ulong.MaxValue, SeedOption.Stream(-1));
    }

    [Fact]
    public void OnlyUserErrorsBecomeAnErrorLine()
    {
        Assert.Null(UserError.From(new ArgumentException("a bug")));
        Assert.Null(UserError.From(new InvalidOperationException("a bug")));
        Assert.NotNull(UserError.From(new IlgpuVq.Data.DataError("bad data")));
        Assert.NotNull(UserError.From(new AggregateException(new IlgpuVq.Data.DataError("bad data on the loader thread"))));
        Assert.Equal("--class: unknown", Assert.Throws<UserError>(() => UserError.Check(() => throw new ArgumentException("unknown"), "--class")).Message);

        // A bug in a command propagates with its stack trace instead of becoming an error: line.
        var root = new RootCommand();
        var broken = new Command("broken");
        broken.SetAction(new Func<ParseResult, int>(_ => throw new ArgumentException("a bug, not the user's input")));
        root.Subcommands.Add(broken);
        Assert.Throws<ArgumentException>(() => CliRunner.Run(root, ["broken"]));
    }
}
