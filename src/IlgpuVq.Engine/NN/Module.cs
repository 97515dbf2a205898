using IlgpuVq.Engine.Serialization;
using IlgpuVq.Engine.Tensors;

namespace IlgpuVq.Engine.NN;

/// <summary>
/// Base of every layer and model, after PyTorch's nn.Module: parameters and buffers registered by name,
/// child modules, <see cref="NamedParameters"/>, <see cref="StateDict"/> / <see cref="LoadStateDict"/> with
/// PyTorch-style dotted keys (<c>encoder.conv1.weight</c>). Parameters and buffers are persistent device
/// tensors owned by the module and freed by <see cref="Dispose"/>.
/// </summary>
public abstract class Module : IDisposable
{
    readonly List<(string Name, Tensor Tensor)> parameters = new();
    readonly List<(string Name, Tensor Tensor)> buffers = new();
    readonly List<(string Name, Module Module)> children = new();

    protected Tensor RegisterParameter(string name, Tensor tensor)
    {
        tensor.RequiresGrad = true;
        tensor.Name = name;
        parameters.Add((name, tensor));
        return tensor;
    }

    /// <summary>Persistent state that is saved and loaded but not optimized (e.g. EMA statistics).</summary>
    protected Tensor RegisterBuffer(string name, Tensor tensor)
    {
        tensor.Name = name;
        buffers.Add((name, tensor));
        return tensor;
    }

    protected T RegisterModule<T>(string name, T module) where T : Module
    {
        children.Add((name, module));
        return module;
    }

    public IEnumerable<(string Name, Tensor Tensor)> NamedParameters(string prefix = "")
    {
        foreach (var (n, t) in parameters) yield return (prefix + n, t);
        foreach (var (n, m) in children)
            foreach (var p in m.NamedParameters(prefix + n + ".")) yield return p;
    }

    public IEnumerable<(string Name, Tensor Tensor)> NamedBuffers(string prefix = "")
    {
        foreach (var (n, t) in buffers) yield return (prefix + n, t);
        foreach (var (n, m) in children)
            foreach (var b in m.NamedBuffers(prefix + n + ".")) yield return b;
    }

    /// <summary>Parameters with their full dotted names set as <see cref="Tensor.Name"/> (the optimizer uses them).</summary>
    public IReadOnlyList<Tensor> Parameters() => NamedParameters().Select(p => { p.Tensor.Name = p.Name; return p.Tensor; }).ToList();

    /// <summary>Every parameter and buffer by dotted name.</summary>
    public IReadOnlyDictionary<string, Tensor> StateDict() =>
        NamedParameters().Concat(NamedBuffers()).ToDictionary(p => p.Name, p => p.Tensor);

    /// <summary>Copies the state dict to the host (a host edge: checkpoints).</summary>
    public List<HostTensor> StateDictToHost() => StateDict()
        .Select(kv => kv.Value.DType == DType.Float32
            ? new HostTensor(kv.Key, kv.Value.Shape, kv.Value.ToArray(), null)
            : new HostTensor(kv.Key, kv.Value.Shape, null, kv.Value.ToIntArray()))
        .ToList();

    /// <summary>
    /// Loads tensors by name. With <paramref name="strict"/>, a missing or unexpected key is an error; a shape
    /// or dtype mismatch is always an error naming the tensor and both shapes. Nothing is modified unless all checks pass.
    /// </summary>
    public void LoadStateDict(IReadOnlyDictionary<string, HostTensor> state, bool strict = true)
    {
        var own = StateDict();
        var problems = new List<string>();
        foreach (var (name, t) in own)
        {
            if (!state.TryGetValue(name, out var h)) { if (strict) problems.Add($"missing tensor '{name}' {Shape.Format(t.Shape)}"); continue; }
            if (!h.Shape.SequenceEqual(t.Shape)) problems.Add($"tensor '{name}' has shape {Shape.Format(h.Shape)} in the checkpoint but {Shape.Format(t.Shape)} in the model");
            else if ((h.Floats != null) != (t.DType == DType.Float32)) problems.Add($"tensor '{name}' is {h.DType} in the checkpoint but {t.DType} in the model");
        }
        if (strict) problems.AddRange(state.Keys.Where(k => !own.ContainsKey(k)).Select(k => $"unexpected tensor '{k}'"));
        if (problems.Count > 0)
            throw new CheckpointException("checkpoint does not match the model: " + string.Join("; ", problems.Take(8)) + (problems.Count > 8 ? $"; and {problems.Count - 8} more" : ""));
        foreach (var (name, t) in own)
        {
            if (!state.TryGetValue(name, out var h)) continue;
            if (h.Floats != null) t.CopyFrom(h.Floats);
            else t.CopyFrom(h.Ints!);
        }
    }

    public void ZeroGrad()
    {
        foreach (var (_, p) in NamedParameters()) p.ZeroGrad();
    }

    public virtual void Dispose()
    {
        foreach (var (_, m) in children) m.Dispose();
        foreach (var (_, t) in parameters) t.Dispose();
        foreach (var (_, t) in buffers) t.Dispose();
        GC.SuppressFinalize(this);
    }
}
