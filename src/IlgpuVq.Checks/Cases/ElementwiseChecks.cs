using IlgpuVq.Checks.Reference;
using IlgpuVq.Engine.Ops;
using static IlgpuVq.Engine.Tensors.Shape;

namespace IlgpuVq.Checks.Cases;

/// <summary>Checks of <see cref="Elementwise"/> against <see cref="ElementwiseReference"/>.</summary>
public sealed class ElementwiseChecks : IOpChecks
{
    public IEnumerable<GradCase> Cases()
    {
        foreach (var shape in new[] { new[] { 1 }, new[] { 2, 3, 5, 7 }, new[] { 1, 1, 33, 17 } })
        {
            var name = Format(shape);
            CheckInput A() => Inputs.Uniform("a", 1, -2, 2, shape);
            CheckInput B() => Inputs.Uniform("b", 2, -2, 2, shape);
            yield return new GradCase
            {
                Op = "add", Shapes = name, Inputs = [A(), B()],
                Reference = x => ElementwiseReference.Add(x[0], x[1]), Engine = t => Elementwise.Add(t[0], t[1]),
            };
            yield return new GradCase
            {
                Op = "relu", Shapes = name, Inputs = [Inputs.AwayFromZero("x", 3, 1e-3, shape)],
                Reference = x => ElementwiseReference.Relu(x[0]), Engine = t => Elementwise.Relu(t[0]),
            };
            yield return new GradCase
            {
                Op = "sub", Shapes = name, Inputs = [A(), B()],
                Reference = x => ElementwiseReference.Sub(x[0], x[1]), Engine = t => Elementwise.Sub(t[0], t[1]),
            };
            yield return new GradCase
            {
                Op = "mul", Shapes = name, Inputs = [A(), B()],
                Reference = x => ElementwiseReference.Mul(x[0], x[1]), Engine = t => Elementwise.Mul(t[0], t[1]),
            };
            yield return new GradCase
            {
                Op = "scale", Shapes = name, Inputs = [A()],
                Reference = x => ElementwiseReference.Scale(x[0], -1.75), Engine = t => Elementwise.Scale(t[0], -1.75f),
            };
            yield return new GradCase
            {
                Op = "add_scalar", Shapes = name, Inputs = [A()],
                Reference = x => ElementwiseReference.AddScalar(x[0], 0.625), Engine = t => Elementwise.AddScalar(t[0], 0.625f),
            };
            yield return new GradCase
            {
                Op = "tanh", Shapes = name, Inputs = [Inputs.Uniform("x", 4, -3, 3, shape)],
                Reference = x => ElementwiseReference.Tanh(x[0]), Engine = t => Elementwise.Tanh(t[0]),
            };
            yield return new GradCase
            {
                Op = "sigmoid", Shapes = name, Inputs = [Inputs.Uniform("x", 5, -6, 6, shape)],
                Reference = x => ElementwiseReference.Sigmoid(x[0]), Engine = t => Elementwise.Sigmoid(t[0]),
            };
        }

        // [N,C] and [N,C,H,W]; channel counts 1, 3, 5, 13; batch 1.
        foreach (var shape in new[] { new[] { 1, 1 }, new[] { 3, 13 }, new[] { 2, 3, 5, 7 }, new[] { 1, 5, 4, 3 }, new[] { 3, 1, 2, 9 } })
        {
            yield return new GradCase
            {
                Op = "bias_add", Shapes = $"x{Format(shape)}",
                Inputs = [Inputs.Uniform("x", 6, -2, 2, shape), Inputs.Uniform("bias", 7, -1, 1, shape[1])],
                Reference = x => ElementwiseReference.BiasAdd(x[0], x[1], shape),
                Engine = t => Elementwise.BiasAdd(t[0], t[1]),
            };
        }

        foreach (var shape in new[] { new[] { 1, 2, 1, 1 }, new[] { 2, 6, 5, 7 }, new[] { 1, 26, 3, 3 }, new[] { 3, 10 } })
        {
            yield return new GradCase
            {
                Op = "gated_activation", Shapes = $"x{Format(shape)}",
                Inputs = [Inputs.Uniform("x", 8, -3, 3, shape)],
                Reference = x => ElementwiseReference.GatedActivation(x[0], shape),
                Engine = t => Elementwise.GatedActivation(t[0]),
            };
        }
    }
}
