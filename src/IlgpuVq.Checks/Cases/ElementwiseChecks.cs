using IlgpuVq.Checks.Reference;
using IlgpuVq.Engine.Ops;

namespace IlgpuVq.Checks.Cases;

/// <summary>Checks of <see cref="Elementwise"/> against <see cref="ElementwiseReference"/>.</summary>
public sealed class ElementwiseChecks : IOpChecks
{
    public IEnumerable<GradCase> Cases()
    {
        foreach (var shape in new[] { new[] { 1 }, new[] { 2, 3, 5, 7 }, new[] { 1, 1, 33, 17 } })
        {
            var name = Engine.Tensors.Shape.Format(shape);
            yield return new GradCase
            {
                Op = "add", Shapes = name,
                Inputs = [Inputs.Uniform("a", 1, -2, 2, shape), Inputs.Uniform("b", 2, -2, 2, shape)],
                Reference = x => ElementwiseReference.Add(x[0], x[1]),
                Engine = t => Elementwise.Add(t[0], t[1]),
            };
            yield return new GradCase
            {
                Op = "relu", Shapes = name,
                Inputs = [Inputs.AwayFromZero("x", 3, 1e-3, shape)],
                Reference = x => ElementwiseReference.Relu(x[0]),
                Engine = t => Elementwise.Relu(t[0]),
            };
        }
    }
}
