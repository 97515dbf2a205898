using IlgpuVq.Engine.Optim;
using IlgpuVq.Engine.Serialization;

namespace IlgpuVq.Models.Training;

/// <summary>Moves AdamW's moments and step count to and from checkpoint tensors.</summary>
public static class OptimizerCheckpoint
{
    const string StepKey = "optimizer.step";

    public static List<HostTensor> ToHost(AdamW optimizer)
    {
        var list = optimizer.State().Select(s => new HostTensor("optimizer." + s.Name, s.Tensor.Shape, s.Tensor.ToArray(), null)).ToList();
        long steps = optimizer.StepCount;
        list.Add(new HostTensor(StepKey, [2], null, [(int)(steps & 0xFFFFFFFF), (int)(steps >> 32)]));
        return list;
    }

    public static void Load(AdamW optimizer, IReadOnlyDictionary<string, HostTensor> state)
    {
        foreach (var (name, tensor) in optimizer.State())
        {
            if (!state.TryGetValue("optimizer." + name, out var h) || h.Floats == null || !h.Shape.SequenceEqual(tensor.Shape))
                throw new CheckpointException($"training state has no usable optimizer moment 'optimizer.{name}' {Engine.Tensors.Shape.Format(tensor.Shape)}");
            tensor.CopyFrom(h.Floats);
        }
        if (!state.TryGetValue(StepKey, out var s) || s.Ints is not { Length: 2 })
            throw new CheckpointException($"training state has no '{StepKey}'");
        optimizer.LoadStepCount((uint)s.Ints[0] | ((long)s.Ints[1] << 32));
    }
}
