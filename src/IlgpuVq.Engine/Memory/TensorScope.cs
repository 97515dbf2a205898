using IlgpuVq.Engine.Tensors;

namespace IlgpuVq.Engine.Memory;

/// <summary>
/// Owns the temporaries of a block of work (a training step, an evaluation batch): every tensor created
/// while the scope is the innermost one on this thread is disposed, and its buffer returned to the pool,
/// when the scope ends. Use <see cref="Keep"/> to move a result out of the scope.
/// <code>using (new TensorScope()) { var loss = model.Loss(x); loss.Backward(); optimizer.Step(); }</code>
/// </summary>
public sealed class TensorScope : IDisposable
{
    [ThreadStatic] static TensorScope? current;
    readonly TensorScope? parent;
    readonly List<Tensor> owned = new();
    bool disposed;

    public TensorScope()
    {
        parent = current;
        current = this;
    }

    /// <summary>Number of tensors this scope will dispose.</summary>
    public int Count => owned.Count;

    internal static void Register(Tensor t) => current?.owned.Add(t);

    /// <summary>Removes <paramref name="t"/> from this scope and hands it to the enclosing scope (or to the caller when there is none).</summary>
    public Tensor Keep(Tensor t)
    {
        if (owned.Remove(t)) parent?.owned.Add(t);
        return t;
    }

    public void Dispose()
    {
        if (disposed) return;
        disposed = true;
        if (current == this) current = parent;
        for (int i = owned.Count - 1; i >= 0; i--) owned[i].Dispose();
        owned.Clear();
    }
}
