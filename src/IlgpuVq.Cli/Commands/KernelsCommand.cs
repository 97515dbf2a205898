using System.CommandLine;
using IlgpuVq.Engine.Codegen;
using Spectre.Console;

namespace IlgpuVq.Cli.Commands;

/// <summary><c>ilgpuvq kernels --emit ptx|opencl</c>: the GPU code of every kernel, generated without a GPU.</summary>
public static class KernelsCommand
{
    public static Command Create()
    {
        var emit = new Option<string>("--emit") { Description = "what to generate", Required = true };
        emit.AcceptOnlyFromAmong("ptx", "opencl");
        var arch = new Option<string>("--arch") { Description = "CUDA architecture for PTX", DefaultValueFactory = _ => "sm_80" };
        var outDir = OutOption.Create("<kernel>.ptx or <kernel>.cl for every kernel");
        var cmd = new Command("kernels", "Write the PTX or OpenCL C of every kernel and print its size, shared and local (spill) memory, and how the native cpu backend runs it") { emit, arch, outDir };
        cmd.SetAction(parse =>
        {
            var target = parse.GetValue(emit)!;
            var cudaArch = target == "ptx" ? ParseArch(parse.GetValue(arch)!) : default;
            var dir = parse.GetValue(outDir)!;
            Directory.CreateDirectory(dir);
            var table = new Table().AddColumns("kernel", "bytes", "shared mem", "local mem", "on cpu", "file");
            foreach (var k in KernelCatalog.All)
            {
                var g = target == "ptx" ? KernelCodegen.Ptx(k, cudaArch) : KernelCodegen.OpenCl(k);
                var file = Path.Combine(dir, k.Name + (target == "ptx" ? ".ptx" : ".cl"));
                File.WriteAllText(file, g.Source);
                table.AddRow(k.Name, g.Source.Length.ToString(), g.SharedMemoryBytes.ToString(), g.LocalMemoryBytes.ToString(),
                    OnCpu(k), Markup.Escape(file));
            }
            AnsiConsole.Write(table);
            return 0;
        });
        return cmd;
    }

    /// <summary>How <c>cpu</c> runs the kernel: <c>native</c>, <c>host</c> (its body on host threads), or <c>gpu only</c> (an
    /// explicitly grouped kernel the ops launch only on GPUs; <c>cpu</c> runs the register-tiled variant instead).</summary>
    static string OnCpu(KernelMethod k) =>
        IlgpuVq.Engine.Native.NativeKernelTable.Find(k.Method) != null ? "native" : k.ImplicitlyGrouped ? "host" : "gpu only";

    static ILGPU.Runtime.Cuda.CudaArchitecture ParseArch(string arch) => UserError.Check(() => KernelCodegen.ParseArchitecture(arch), "--arch");
}
