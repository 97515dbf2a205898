using IlgpuVq.Checks.Reference;
using IlgpuVq.Engine.Ops;

namespace IlgpuVq.Checks.Cases;

/// <summary>
/// Checks of <see cref="Pooling"/> against <see cref="PoolingReference"/>: batch 1, a 1×1 plane, odd planes, channel
/// counts off every tile, and a plane larger than a simulator group (the classifier pools 8×8 to 16×16 planes).
/// </summary>
public sealed class PoolingChecks : IOpChecks
{
    public IEnumerable<GradCase> Cases()
    {
        foreach (var (n, c, h, w) in new[] { (1, 1, 1, 1), (1, 3, 5, 7), (2, 13, 4, 4), (3, 5, 1, 9), (2, 17, 33, 31) })
            yield return new GradCase
            {
                Op = "global_avg_pool", Shapes = $"[{n},{c},{h},{w}]", Inputs = [Inputs.Uniform("x", 21, -1, 1, n, c, h, w)],
                Reference = x => PoolingReference.GlobalAverage(x[0], n, c, h, w), Engine = t => Pooling.GlobalAverage(t[0]),
                GradientTolerance = new Tolerance(1e-6, 1e-3),
            };
    }
}
