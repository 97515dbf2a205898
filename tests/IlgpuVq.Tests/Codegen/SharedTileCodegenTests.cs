using ILGPU.Runtime.Cuda;
using IlgpuVq.Engine.Codegen;

namespace IlgpuVq.Tests.Codegen;

/// <summary>
/// The shared-memory block-tile kernels, as a GPU gets them: their PTX for sm_80 declares the double-buffered A and B chunks as
/// static shared memory (2 operands × 2 buffers × 16 × 65 floats), synchronizes the group, and keeps the 4×4 register tile in
/// registers (no local memory, i.e. no spills or stack arrays); their OpenCL C declares local (shared) memory and barriers.
/// </summary>
public class SharedTileCodegenTests
{
    const int SharedBytes = 2 * 2 * 16 * 65 * sizeof(float);

    public static IEnumerable<object[]> SharedKernels() =>
        new[] { "GemmKernels.SharedTiled", "Conv2dSharedKernels.Forward", "Conv2dSharedKernels.InputGrad", "Conv2dSharedKernels.WeightGrad" }
            .Select(n => new object[] { n });

    static KernelMethod Find(string name) => KernelCatalog.All.Single(k => k.Name == name);

    [Theory]
    [MemberData(nameof(SharedKernels))]
    public void PtxDeclaresSharedMemoryAndSpillsNothing(string kernel)
    {
        var ptx = KernelCodegen.Ptx(Find(kernel), CudaArchitecture.SM_80);
        Assert.Equal(SharedBytes, ptx.SharedMemoryBytes);
        Assert.Equal(0, ptx.LocalMemoryBytes);
        Assert.Contains(".shared", ptx.Source);
        Assert.Contains("bar.sync", ptx.Source);
        Assert.DoesNotContain(".local", ptx.Source);
    }

    [Theory]
    [MemberData(nameof(SharedKernels))]
    public void OpenClDeclaresLocalMemoryAndBarriers(string kernel)
    {
        var cl = KernelCodegen.OpenCl(Find(kernel));
        Assert.Equal(SharedBytes, cl.SharedMemoryBytes);
        Assert.Contains("local", cl.Source);
        Assert.Contains("barrier", cl.Source);
    }

    [Fact]
    public void SharedKernelsAreExplicitlyGrouped() =>
        Assert.All(SharedKernels(), k => Assert.False(Find((string)k[0]).ImplicitlyGrouped));
}
