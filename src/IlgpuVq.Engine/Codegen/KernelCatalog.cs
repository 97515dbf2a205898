using System.Reflection;
using ILGPU;
using IlgpuVq.Kernels;

namespace IlgpuVq.Engine.Codegen;

/// <summary>A kernel method of the kernels assembly.</summary>
/// <param name="Family">The declaring class, e.g. <c>ElementwiseKernels</c>.</param>
/// <param name="ImplicitlyGrouped">True when the first parameter is an index (ILGPU picks the group size).</param>
public sealed record KernelMethod(string Family, MethodInfo Method, bool ImplicitlyGrouped)
{
    public string Name => $"{Family}.{Method.Name}";
}

/// <summary>
/// Finds every kernel by reflection: each public static method of a public static class in the kernels
/// assembly is a kernel (helpers there must be private or internal). Nothing has to be registered, so no
/// kernel can be left out of code generation or its tests.
/// </summary>
public static class KernelCatalog
{
    static readonly Type[] IndexTypes = [typeof(Index1D), typeof(Index2D), typeof(Index3D), typeof(LongIndex1D), typeof(LongIndex2D), typeof(LongIndex3D)];

    public static IReadOnlyList<KernelMethod> All { get; } = typeof(ElementwiseKernels).Assembly.GetExportedTypes()
        .Where(t => t.IsAbstract && t.IsSealed) // static classes
        .OrderBy(t => t.Name, StringComparer.Ordinal)
        .SelectMany(t => t.GetMethods(BindingFlags.Public | BindingFlags.Static | BindingFlags.DeclaredOnly)
            .OrderBy(m => m.Name, StringComparer.Ordinal)
            .Select(m => new KernelMethod(t.Name, m,
                m.GetParameters().Length > 0 && IndexTypes.Contains(m.GetParameters()[0].ParameterType))))
        .ToList();
}
