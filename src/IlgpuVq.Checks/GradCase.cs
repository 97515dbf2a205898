using IlgpuVq.Engine.Tensors;

namespace IlgpuVq.Checks;

/// <summary>Pass when |actual - expected| &lt;= Atol + Rtol * max(|actual|, |expected|) for every element.</summary>
public readonly record struct Tolerance(double Atol, double Rtol)
{
    public bool Accepts(double actual, double expected) =>
        Math.Abs(actual - expected) <= Atol + Rtol * Math.Max(Math.Abs(actual), Math.Abs(expected));
}

/// <summary>
/// One input of a check. Float inputs marked <see cref="Differentiable"/> get their engine gradient
/// compared with central finite differences of the double reference. Int inputs (indices, targets) are
/// passed as int32 tensors and never differentiated.
/// </summary>
public sealed record CheckInput(string Name, int[] Shape, double[] Data, bool Differentiable = true, bool IsInt = false);

/// <summary>
/// A forward + gradient check of one op at one set of shapes: the engine forward (float32 on a device)
/// against the double <see cref="Reference"/>, and the engine's input gradients of
/// L = Σ output·g (g a seeded random upstream gradient) against central finite differences of the same L
/// computed in double on the reference.
/// </summary>
public sealed class GradCase
{
    /// <summary>The op's name as used by <c>ilgpuvq gradcheck --op</c> (e.g. <c>conv2d</c>).</summary>
    public required string Op { get; init; }
    /// <summary>A short description of the shapes and settings, unique within the op.</summary>
    public required string Shapes { get; init; }
    public required CheckInput[] Inputs { get; init; }
    /// <summary>The double-precision reference forward: inputs in the order of <see cref="Inputs"/> → flattened output.</summary>
    public required Func<double[][], double[]> Reference { get; init; }
    /// <summary>The engine forward: device tensors in the order of <see cref="Inputs"/> → output tensor.</summary>
    public required Func<Tensor[], Tensor> Engine { get; init; }
    public Tolerance ForwardTolerance { get; init; } = new(1e-5, 1e-4);
    public Tolerance GradientTolerance { get; init; } = new(1e-4, 1e-3);
    /// <summary>At most this many elements per input are finite-differenced (spread evenly, always including first and last).</summary>
    public int MaxFiniteDifferencePoints { get; init; } = 48;
    /// <summary>Finite-difference step (in double, so no cancellation trouble).</summary>
    public double Step { get; init; } = 1e-6;
    /// <summary>Whether to run the gradient part (false for ops that are not differentiable).</summary>
    public bool CheckGradients { get; init; } = true;
    public int Seed { get; init; } = 1234;

    public string Id => $"{Op} {Shapes}";
    public override string ToString() => Id;

    /// <summary>The inputs as tensors on <paramref name="device"/> (int inputs as int32); differentiable float inputs
    /// require gradients when the case checks them.</summary>
    public Tensor[] CreateTensors(IlgpuVq.Engine.Devices.ComputeDevice device)
    {
        var tensors = new Tensor[Inputs.Length];
        for (int i = 0; i < tensors.Length; i++)
        {
            var input = Inputs[i];
            tensors[i] = input.IsInt
                ? Tensor.FromIntArray(device, input.Data.Select(v => (int)v).ToArray(), input.Shape)
                : Tensor.FromArray(device, input.Data.Select(v => (float)v).ToArray(), input.Shape);
            tensors[i].RequiresGrad = CheckGradients && input.Differentiable && !input.IsInt;
        }
        return tensors;
    }
}

/// <summary>The outcome of one <see cref="GradCase"/> on one device.</summary>
public sealed record CheckResult(string Op, string Shapes, string Device,
    double ForwardMaxAbs, double ForwardMaxRel, double GradMaxAbs, double GradMaxRel, bool Passed, string? Failure)
{
    public override string ToString() =>
        $"{(Passed ? "PASS" : "FAIL")} {Op} {Shapes} on {Device}: fwd abs {ForwardMaxAbs:g3} rel {ForwardMaxRel:g3}; grad abs {GradMaxAbs:g3} rel {GradMaxRel:g3}{(Failure == null ? "" : " — " + Failure)}";
}
