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

    [Fact]
    public void CatalogCoversEveryOpFamily()
    {
        var ops = OpCatalog.OpNames;
        Assert.Contains("add", ops);
        Assert.Contains("relu", ops);
        Assert.Equal(OpCatalog.All.Count, OpCatalog.All.Select(c => c.Id).Distinct().Count());
    }
}
