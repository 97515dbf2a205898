using IlgpuVq.Checks.Reference;
using IlgpuVq.Engine.Ops;

namespace IlgpuVq.Checks.Cases;

/// <summary>
/// Checks of <see cref="Gemm"/> (tiled and naive kernels) against <see cref="GemmReference"/>: sizes of 1, M &lt; K,
/// sizes that are not multiples of the 4×8 tile, and every transpose combination.
/// </summary>
public sealed class GemmChecks : IOpChecks
{
    public IEnumerable<GradCase> Cases()
    {
        (int M, int N, int K, bool TA, bool TB)[] shapes =
        [
            (1, 1, 1, false, false), (1, 7, 5, false, false), (3, 2, 19, false, false), (5, 3, 17, true, false),
            (13, 9, 1, false, true), (9, 17, 6, true, true), (33, 17, 20, false, false), (4, 8, 8, false, true),
            (6, 33, 3, true, false),
        ];
        int seed = 10;
        foreach (var (m, n, k, ta, tb) in shapes)
        {
            foreach (var naive in new[] { false, true })
            {
                if (naive && m * n > 100) continue;
                seed += 2;
                int[] aShape = ta ? [k, m] : [m, k], bShape = tb ? [n, k] : [k, n];
                yield return new GradCase
                {
                    Op = "gemm",
                    Shapes = $"{(naive ? "naive " : "")}M{m} N{n} K{k}{(ta ? " At" : "")}{(tb ? " Bt" : "")}",
                    Inputs = [Inputs.Uniform("a", seed, -1, 1, aShape), Inputs.Uniform("b", seed + 1, -1, 1, bShape)],
                    Reference = x => GemmReference.Apply(x[0], x[1], m, n, k, ta, tb),
                    Engine = naive ? t => Variants.NaiveGemm.Apply(t[0], t[1], ta, tb) : t => Gemm.Apply(t[0], t[1], ta, tb),
                    ForwardTolerance = new(1e-5, 1e-4),
                    GradientTolerance = new(2e-4, 1e-3),
                };
            }
        }
    }
}
