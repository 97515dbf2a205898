using IlgpuVq.Checks;

namespace IlgpuVq.Tests.Ops;

/// <summary>
/// Every registered op check (forward vs the double reference, gradients vs central finite differences on
/// the reference), on every test device. The cases themselves live in <c>src/IlgpuVq.Checks/Cases</c> so that
/// <c>ilgpuvq gradcheck</c> runs exactly the same checks on a user's GPU.
/// </summary>
public class OpCheckTests
{
    public static IEnumerable<object[]> Cases() =>
        from device in TestDevices.Names
        from c in OpCatalog.All
        select new object[] { device, c.Id };

    [Theory]
    [MemberData(nameof(Cases))]
    public void ForwardAndGradientMatchReference(string device, string caseId)
    {
        var result = GradChecker.Run(TestDevices.Get(device), OpCatalog.Get(caseId));
        Assert.True(result.Passed, result.ToString());
    }

    /// <summary>Op families that have no <see cref="IOpChecks"/> class, each with the test class that checks it instead:
    /// none is differentiable, and each is compared with its double reference (or hand-computed values) there.
    /// <c>SharedTiling</c> is the kernel planner, not an op.</summary>
    static readonly Dictionary<string, Type?> CheckedElsewhere = new()
    {
        ["CodebookInit"] = typeof(CodebookInitTests),
        ["CodebookMaintenance"] = typeof(CodebookMaintenanceTests),
        ["Rng"] = typeof(RandomTests),
        ["SharedTiling"] = null,
    };

    /// <summary>Every public static op class in <c>IlgpuVq.Engine.Ops</c> and every optimizer in <c>IlgpuVq.Engine.Optim</c>
    /// (found by reflection, so a new one cannot be forgotten) has a <c>&lt;Name&gt;Checks</c> class contributing cases to
    /// the catalog, unless it is listed in <see cref="CheckedElsewhere"/>.</summary>
    [Fact]
    public void CatalogCoversEveryOpFamily()
    {
        var engine = typeof(IlgpuVq.Engine.Ops.Gemm).Assembly.GetTypes();
        var families = engine
            .Where(t => t is { IsPublic: true, IsAbstract: true, IsSealed: true, Namespace: "IlgpuVq.Engine.Ops" })
            .Concat(engine.Where(t => t is { IsPublic: true, IsAbstract: false } && t.IsSubclassOf(typeof(IlgpuVq.Engine.Optim.Optimizer))))
            .Select(t => t.Name).Order(StringComparer.Ordinal).ToList();
        Assert.Contains("Gemm", families);
        Assert.Contains("AdamW", families);
        var checks = typeof(OpCatalog).Assembly.GetTypes()
            .Where(t => typeof(IOpChecks).IsAssignableFrom(t) && t is { IsClass: true, IsAbstract: false })
            .ToDictionary(t => t.Name, t => ((IOpChecks)Activator.CreateInstance(t)!).Cases().Count());
        var missing = families.Where(f => !CheckedElsewhere.ContainsKey(f) && checks.GetValueOrDefault(f + "Checks") == 0).ToList();
        Assert.True(missing.Count == 0, $"op families without checks: {string.Join(", ", missing)}");
        var stale = CheckedElsewhere.Keys.Where(f => !families.Contains(f) || checks.ContainsKey(f + "Checks")).ToList();
        Assert.True(stale.Count == 0, $"listed as checked elsewhere but absent or catalogued: {string.Join(", ", stale)}");
        Assert.Equal(OpCatalog.All.Count, OpCatalog.All.Select(c => c.Id).Distinct().Count());
    }
}
