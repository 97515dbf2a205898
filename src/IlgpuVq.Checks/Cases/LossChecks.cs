using IlgpuVq.Checks.Reference;
using IlgpuVq.Engine.Ops;
using static IlgpuVq.Engine.Tensors.Shape;

namespace IlgpuVq.Checks.Cases;

/// <summary>Checks of <see cref="Loss"/> against <see cref="LossReference"/>: gradients to both inputs, and to one when the other is a constant.</summary>
public sealed class LossChecks : IOpChecks
{
    public IEnumerable<GradCase> Cases()
    {
        foreach (var shape in new[] { new[] { 1 }, new[] { 7 }, new[] { 2, 3, 5, 7 }, new[] { 1, 3, 33, 31 } })
        {
            var name = Format(shape);
            CheckInput P() => Inputs.Uniform("prediction", 21, -1, 1, shape);
            CheckInput T() => Inputs.Uniform("target", 22, -1, 1, shape);
            yield return new GradCase
            {
                Op = "mse", Shapes = name, Inputs = [P(), T()],
                Reference = x => LossReference.Mse(x[0], x[1]), Engine = t => Loss.Mse(t[0], t[1]),
                GradientTolerance = new Tolerance(1e-6, 1e-3),
            };
            yield return new GradCase
            {
                Op = "mse", Shapes = name + " constant target", Inputs = [P(), T() with { Differentiable = false }],
                Reference = x => LossReference.Mse(x[0], x[1]), Engine = t => Loss.Mse(t[0], t[1]),
                GradientTolerance = new Tolerance(1e-6, 1e-3),
            };
            yield return new GradCase
            {
                Op = "mse", Shapes = name + " constant prediction", Inputs = [P() with { Differentiable = false }, T()],
                Reference = x => LossReference.Mse(x[0], x[1]), Engine = t => Loss.Mse(t[0], t[1]),
                GradientTolerance = new Tolerance(1e-6, 1e-3),
            };
        }
    }
}
