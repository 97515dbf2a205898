namespace IlgpuVq.Checks;

/// <summary>Contributes the checks of one op family. Implementations are found by reflection, so a new op
/// family only has to add its class (conventionally <c>Cases/&lt;Op&gt;Checks.cs</c>).</summary>
public interface IOpChecks
{
    IEnumerable<GradCase> Cases();
}

/// <summary>Every check of every op, in a stable order (by op family class name, then declaration order).</summary>
public static class OpCatalog
{
    static readonly Lazy<IReadOnlyList<GradCase>> AllCases = new(() =>
        typeof(OpCatalog).Assembly.GetTypes()
            .Where(t => typeof(IOpChecks).IsAssignableFrom(t) && t is { IsClass: true, IsAbstract: false })
            .OrderBy(t => t.Name, StringComparer.Ordinal)
            .SelectMany(t => ((IOpChecks)Activator.CreateInstance(t)!).Cases())
            .ToList());

    public static IReadOnlyList<GradCase> All => AllCases.Value;

    public static IReadOnlyList<string> OpNames => All.Select(c => c.Op).Distinct().ToList();

    /// <summary>The case with this <see cref="GradCase.Id"/>.</summary>
    public static GradCase Get(string id) => All.First(c => c.Id == id);
}
