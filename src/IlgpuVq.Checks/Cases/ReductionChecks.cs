using IlgpuVq.Checks.Reference;
using IlgpuVq.Engine.Ops;
using static IlgpuVq.Engine.Tensors.Shape;

namespace IlgpuVq.Checks.Cases;

/// <summary>
/// Checks of <see cref="Reduction"/> against <see cref="ReductionReference"/>. Lengths 1, 7, 1000 and 100003 cover
/// one partial, fewer elements than a group, several groups, and more groups than fit in one second pass unless
/// each thread strides (on both test devices: group 16 and group 1024).
/// </summary>
public sealed class ReductionChecks : IOpChecks
{
    public IEnumerable<GradCase> Cases()
    {
        foreach (var n in new[] { 1, 7, 1000, 100003 })
        {
            // Sums of n uniform values in [-1, 1) in float32: error grows like sqrt(n)·eps; a loose atol for the sum.
            var sumTol = new Tolerance(2e-6 * Math.Sqrt(n) + 1e-6, 1e-5);
            yield return new GradCase
            {
                Op = "sum", Shapes = $"[{n}]", Inputs = [Inputs.Uniform("x", 11, -1, 1, n)],
                Reference = x => ReductionReference.Sum(x[0]), Engine = t => Reduction.Sum(t[0]),
                ForwardTolerance = sumTol,
            };
            yield return new GradCase
            {
                Op = "mean", Shapes = $"[{n}]", Inputs = [Inputs.Uniform("x", 12, -1, 1, n)],
                Reference = x => ReductionReference.Mean(x[0]), Engine = t => Reduction.Mean(t[0]),
                GradientTolerance = new Tolerance(1e-7, 1e-3),
            };
        }
        yield return new GradCase
        {
            Op = "sum", Shapes = "[2,3,5,7]", Inputs = [Inputs.Uniform("x", 13, -1, 1, 2, 3, 5, 7)],
            Reference = x => ReductionReference.Sum(x[0]), Engine = t => Reduction.Sum(t[0]),
        };

        foreach (var shape in new[] { new[] { 1, 1 }, new[] { 4, 13 }, new[] { 2, 3, 5, 7 }, new[] { 1, 5, 33, 17 }, new[] { 3, 1, 4, 4 }, new[] { 2, 3, 40, 40 } })
        {
            yield return new GradCase
            {
                Op = "sum_per_channel", Shapes = Format(shape), Inputs = [Inputs.Uniform("x", 14, -1, 1, shape)],
                Reference = x => ReductionReference.PerChannel(x[0], shape, mean: false), Engine = t => Reduction.SumPerChannel(t[0]),
                ForwardTolerance = new Tolerance(1e-5, 1e-4),
            };
            yield return new GradCase
            {
                Op = "mean_per_channel", Shapes = Format(shape), Inputs = [Inputs.Uniform("x", 15, -1, 1, shape)],
                Reference = x => ReductionReference.PerChannel(x[0], shape, mean: true), Engine = t => Reduction.MeanPerChannel(t[0]),
                GradientTolerance = new Tolerance(1e-6, 1e-3),
            };
        }

        foreach (var shape in new[] { new[] { 1 }, new[] { 9 }, new[] { 4, 7 }, new[] { 2, 3, 5 } })
        {
            yield return new GradCase
            {
                Op = "mean_last_axis", Shapes = Format(shape), Inputs = [Inputs.Uniform("x", 16, -1, 1, shape)],
                Reference = x => ReductionReference.MeanLastAxis(x[0], shape[^1]), Engine = t => Reduction.MeanLastAxis(t[0]),
            };
        }
    }
}
