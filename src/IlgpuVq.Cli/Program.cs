// Entry point of the `ilgpuvq` command-line tool; the commands are wired in CliApp.
return IlgpuVq.Cli.CliApp.Run(args);
