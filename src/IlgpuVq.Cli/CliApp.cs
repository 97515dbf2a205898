using System.CommandLine;
using IlgpuVq.Cli.Commands;

namespace IlgpuVq.Cli;

/// <summary>The <c>ilgpuvq</c> command tree. Each command group lives in Commands/&lt;Name&gt;Command.cs.</summary>
public static class CliApp
{
    public static RootCommand CreateRoot()
    {
        var root = new RootCommand("ilgpuvq: VQ-VAE + Gated PixelCNN for skin-lesion images on a from-scratch ILGPU engine");
        root.Subcommands.Add(DemoCommand.Create());
        root.Subcommands.Add(DataCommand.Create());
        root.Subcommands.Add(TrainCommand.Create());
        root.Subcommands.Add(SampleCommand.Create());
        root.Subcommands.Add(ReconstructCommand.Create());
        root.Subcommands.Add(EvaluateCommand.Create());
        root.Subcommands.Add(DevicesCommand.Create());
        root.Subcommands.Add(GradcheckCommand.Create());
        root.Subcommands.Add(KernelsCommand.Create());
        root.Subcommands.Add(BenchCommand.Create());
        root.Subcommands.Add(ProfileCommand.Create());
        root.Options.Add(ThreadsOption.Create());
        return root;
    }

    /// <summary>Parses and runs a command line; user errors print one line and return 2.</summary>
    public static int Run(params string[] args) => CliRunner.Run(CreateRoot(), args);
}
