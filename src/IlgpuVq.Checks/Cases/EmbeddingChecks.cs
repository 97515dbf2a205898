using IlgpuVq.Checks.Reference;
using IlgpuVq.Engine.Ops;

namespace IlgpuVq.Checks.Cases;

/// <summary>Checks of <see cref="Embedding"/> against <see cref="EmbeddingReference"/>: repeated indices (the
/// gradient sums), unused codes (zero gradient), and out-of-range indices (zero rows, no gradient, no crash).</summary>
public sealed class EmbeddingChecks : IOpChecks
{
    static readonly Tolerance Exact = new(1e-6, 1e-6);

    public IEnumerable<GradCase> Cases()
    {
        var flat = new (int K, int D, int[] S)[] { (1, 1, [1]), (5, 3, [7]), (13, 4, [2, 3]), (3, 5, [2, 2, 3]), (4, 13, [1]) };
        foreach (var (k, d, s) in flat)
            yield return Flat($"K{k} D{d} S{Engine.Tensors.Shape.Format(s)}", k, d, Inputs.Indices("idx", 61, k, s));
        yield return Flat("K4 D3 out-of-range", 4, 3, OutOfRange(4, 2, 3));

        var nchw = new (int K, int D, int B, int H, int W)[] { (1, 1, 1, 1, 1), (5, 3, 2, 3, 4), (13, 5, 1, 5, 3), (3, 13, 2, 2, 2) };
        foreach (var (k, d, b, h, w) in nchw)
            yield return Nchw($"K{k} D{d} [{b},{h},{w}]", k, d, b, h, w, Inputs.Indices("idx", 62, k, b, h, w));
        yield return Nchw("K4 D3 [2,1,3] out-of-range", 4, 3, 2, 1, 3, OutOfRange(4, 2, 1, 3));
    }

    /// <summary>Indices cycling through -1, K, 0, K+7, 2, 1, ... (in and out of range).</summary>
    static CheckInput OutOfRange(int codes, params int[] shape)
    {
        int n = Engine.Tensors.Shape.Size(shape);
        double[] pattern = [-1, codes, 0, codes + 7, 2, 1];
        var data = Enumerable.Range(0, n).Select(i => pattern[i % pattern.Length]).ToArray();
        return new CheckInput("idx", shape, data, Differentiable: false, IsInt: true);
    }

    static GradCase Flat(string name, int k, int d, CheckInput idx) => new()
    {
        Op = "embedding", Shapes = name, ForwardTolerance = Exact,
        Inputs = [Inputs.Uniform("table", 60, -1, 1, k, d), idx],
        Reference = x => EmbeddingReference.Lookup(x[0], x[1], k, d),
        Engine = t => Embedding.Lookup(t[0], t[1]),
    };

    static GradCase Nchw(string name, int k, int d, int b, int h, int w, CheckInput idx) => new()
    {
        Op = "embedding_nchw", Shapes = name, ForwardTolerance = Exact,
        Inputs = [Inputs.Uniform("table", 63, -1, 1, k, d), idx],
        Reference = x => EmbeddingReference.LookupNchw(x[0], x[1], k, d, b, h, w),
        Engine = t => Embedding.LookupNchw(t[0], t[1]),
    };
}
