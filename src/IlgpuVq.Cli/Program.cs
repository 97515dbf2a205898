using System.CommandLine;
using IlgpuVq.Cli;
using IlgpuVq.Cli.Commands;

// Entry point of the `ilgpuvq` command-line tool. Each command group lives in Commands/<Name>Command.cs
// and exposes `static Command Create()`; this file only wires them together.
var root = new RootCommand("ilgpuvq: VQ-VAE + Gated PixelCNN for skin-lesion images on a from-scratch ILGPU engine");
// -- command registrations (one line each) --
root.Subcommands.Add(DataCommand.Create());
root.Subcommands.Add(DevicesCommand.Create());
root.Subcommands.Add(GradcheckCommand.Create());
root.Subcommands.Add(KernelsCommand.Create());
root.Subcommands.Add(BenchCommand.Create());
root.Subcommands.Add(ProfileCommand.Create());
root.Subcommands.Add(TrainCommand.Create());
root.Subcommands.Add(SampleCommand.Create());
root.Subcommands.Add(ReconstructCommand.Create());
return CliRunner.Run(root, args);
