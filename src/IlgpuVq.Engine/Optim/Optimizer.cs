using IlgpuVq.Engine.Tensors;

namespace IlgpuVq.Engine.Optim;

/// <summary>An optimizer over a fixed list of parameters (leaf tensors whose <see cref="Tensor.Grad"/> backward fills).</summary>
public abstract class Optimizer(IReadOnlyList<Tensor> parameters) : IDisposable
{
    public IReadOnlyList<Tensor> Parameters { get; } = parameters;

    /// <summary>The learning rate used by the next <see cref="Step"/> (schedulers set it).</summary>
    public float LearningRate { get; set; }

    /// <summary>Updates every parameter that has a gradient; queued on the device, no host synchronisation.</summary>
    public abstract void Step();

    /// <summary>Sets every parameter's accumulated gradient to zero.</summary>
    public void ZeroGrad()
    {
        foreach (var p in Parameters) p.ZeroGrad();
    }

    public abstract void Dispose();
}
