using IlgpuVq.Checks.Reference;
using IlgpuVq.Engine.Ops;

namespace IlgpuVq.Checks.Cases;

/// <summary>Checks of <see cref="BatchBias"/> against <see cref="BatchBiasReference"/>.</summary>
public sealed class BatchBiasChecks : IOpChecks
{
    public IEnumerable<GradCase> Cases()
    {
        foreach (var (b, c, h, w) in new[] { (1, 1, 1, 1), (2, 3, 5, 7), (1, 13, 4, 3) })
            yield return new GradCase
            {
                Op = "batch_bias", Shapes = $"x[{b},{c},{h},{w}] bias[{b},{c}]",
                Inputs = [Inputs.Uniform("x", 11, -1, 1, b, c, h, w), Inputs.Uniform("bias", 12, -1, 1, b, c)],
                Reference = x => BatchBiasReference.Add(x[0], x[1], b, c, h, w),
                Engine = t => BatchBias.Add(t[0], t[1]),
            };
    }
}
