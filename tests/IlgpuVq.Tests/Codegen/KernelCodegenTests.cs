using IlgpuVq.Engine.Codegen;

namespace IlgpuVq.Tests.Codegen;

/// <summary>
/// Every kernel in the kernels assembly (found by reflection, so none can be forgotten) compiles with ILGPU's
/// PTX backend for sm_70, sm_80 and sm_90 and with its OpenCL C 2.0 backend. No GPU is needed; a kernel
/// that could not run on a GPU fails here.
/// </summary>
public class KernelCodegenTests
{
    public static IEnumerable<object[]> Kernels() => KernelCatalog.All.Select(k => new object[] { k.Name });

    static KernelMethod Find(string name) => KernelCatalog.All.Single(k => k.Name == name);

    [Theory]
    [MemberData(nameof(Kernels))]
    public void CompilesToPtxForEveryTestedArchitecture(string kernel)
    {
        foreach (var arch in KernelCodegen.TestedArchitectures)
        {
            var ptx = KernelCodegen.Ptx(Find(kernel), arch);
            Assert.Contains(".entry", ptx.Source);
            // ILGPU 1.5.3 emits at most `.target sm_80` (PTX is forward compatible: the driver JITs it for sm_90).
            var target = System.Text.RegularExpressions.Regex.Match(ptx.Source, @"\.target sm_(\d+)");
            Assert.True(target.Success, "no .target line");
            var requested = int.Parse(arch.ToString()[3..]);
            Assert.InRange(int.Parse(target.Groups[1].Value), Math.Min(70, requested), requested);
        }
    }

    [Theory]
    [MemberData(nameof(Kernels))]
    public void CompilesToOpenClC(string kernel)
    {
        var cl = KernelCodegen.OpenCl(Find(kernel));
        Assert.Contains("kernel void", cl.Source);
    }

    [Fact]
    public void CatalogFindsKernelsOfEveryFamily()
    {
        Assert.Contains(KernelCatalog.All, k => k.Name == "ElementwiseKernels.Add" && k.ImplicitlyGrouped);
        Assert.Equal(KernelCatalog.All.Count, KernelCatalog.All.Select(k => k.Name).Distinct().Count());
    }
}
