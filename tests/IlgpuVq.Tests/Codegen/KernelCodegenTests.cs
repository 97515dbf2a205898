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
        var method = Find(kernel).Method;
        var cl = KernelCodegen.OpenCl(Find(kernel));
        var entries = System.Text.RegularExpressions.Regex.Matches(cl.Source, @"kernel void (\w+)\(([^)]*)\)");
        var entry = Assert.Single(entries);
        Assert.Equal("Kernel_" + method.Name, entry.Groups[1].Value);
        // ILGPU passes an ArrayView as a global pointer plus its view struct, every other parameter (the Index1D of an
        // implicitly grouped kernel as its extent) as one argument, and dynamic shared memory as a leading pointer and length.
        var parameters = entry.Groups[2].Value.Split(',', StringSplitOptions.TrimEntries).ToList();
        if (parameters[0] == "local char* dynamic_shared_memory")
        {
            Assert.Equal("int dynamic_shared_memory_length", parameters[1]);
            parameters.RemoveRange(0, 2);
        }
        bool IsView(Type t) => t.IsGenericType && t.GetGenericTypeDefinition() == typeof(ILGPU.ArrayView<>);
        var views = method.GetParameters().Count(p => IsView(p.ParameterType));
        Assert.Equal(method.GetParameters().Length + views, parameters.Count);
        Assert.Equal(views, parameters.Count(p => p.StartsWith("global ") && p.Contains("* view_")));
    }

    [Fact]
    public void CatalogFindsKernelsOfEveryFamily()
    {
        Assert.Contains(KernelCatalog.All, k => k.Name == "ElementwiseKernels.Add" && k.ImplicitlyGrouped);
        Assert.Equal(KernelCatalog.All.Count, KernelCatalog.All.Select(k => k.Name).Distinct().Count());
    }
}
