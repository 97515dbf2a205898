using IlgpuVq.Engine.Tensors;

namespace IlgpuVq.Engine.Autograd;

/// <summary>
/// One recorded operation on the tape. Forward saves exactly what backward needs (as fields of the
/// subclass); <see cref="Backward"/> returns the gradient for each input (null where the input needs none).
/// Returned tensors may alias <c>gradOutput</c>; they must not be mutated afterwards.
/// </summary>
public abstract class GradNode
{
    /// <summary>The op's inputs, in the order <see cref="Backward"/> returns their gradients.</summary>
    public Tensor[] Inputs { get; internal set; } = [];

    /// <summary>The op's name, for error messages and the profiler.</summary>
    public virtual string Name => GetType().Name.Replace("Backward", "");

    /// <summary>Gradients of the inputs given the gradient of the output.</summary>
    public abstract Tensor?[] Backward(Tensor gradOutput);

    /// <summary>Whether input <paramref name="i"/> wants a gradient (skip computing it otherwise).</summary>
    protected bool Needs(int i) => Inputs[i].RequiresGrad;
}
