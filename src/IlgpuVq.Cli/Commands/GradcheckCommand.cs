using System.CommandLine;
using IlgpuVq.Checks;
using Spectre.Console;

namespace IlgpuVq.Cli.Commands;

/// <summary><c>ilgpuvq gradcheck</c>: forward and gradient checks of every op on a device.</summary>
public static class GradcheckCommand
{
    public static Command Create()
    {
        var device = DeviceOption.Create();
        var op = new Option<string?>("--op") { Description = "check only this op (default: all)" };
        var cmd = new Command("gradcheck", "Check every op's forward against the double reference and its gradients against finite differences") { device, op };
        cmd.SetAction(parse =>
        {
            var dev = DeviceOption.Open(parse.GetValue(device)!);
            var only = parse.GetValue(op);
            var cases = OpCatalog.All.Where(c => only == null || c.Op.Equals(only, StringComparison.OrdinalIgnoreCase)).ToList();
            if (cases.Count == 0)
                throw new UserError($"unknown op '{only}'; ops: {string.Join(", ", OpCatalog.OpNames)}");
            var table = new Table().AddColumns("op", "shapes", "fwd max abs", "fwd max rel", "grad max abs", "grad max rel", "result");
            int failed = 0;
            foreach (var c in cases)
            {
                var r = GradChecker.Run(dev, c);
                if (!r.Passed) failed++;
                table.AddRow(r.Op, Markup.Escape(r.Shapes), $"{r.ForwardMaxAbs:0.0e0}", $"{r.ForwardMaxRel:0.0e0}",
                    c.CheckGradients ? $"{r.GradMaxAbs:0.0e0}" : "-", c.CheckGradients ? $"{r.GradMaxRel:0.0e0}" : "-",
                    r.Passed ? "[green]PASS[/]" : $"[red]FAIL[/] {Markup.Escape(r.Failure ?? "")}");
            }
            AnsiConsole.Write(table);
            Console.WriteLine($"{cases.Count - failed} passed, {failed} failed on {dev.Name}");
            return failed == 0 ? 0 : 1;
        });
        return cmd;
    }
}
