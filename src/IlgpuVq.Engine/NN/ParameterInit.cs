using IlgpuVq.Engine.Devices;
using IlgpuVq.Engine.Ops;
using IlgpuVq.Engine.Tensors;

namespace IlgpuVq.Engine.NN;

/// <summary>Initial values of parameters, generated on the device by the counter-based RNG (<see cref="Rng"/>) from a seed.</summary>
public static class ParameterInit
{
    /// <summary>A persistent tensor with values U(−bound, bound) (all zeros when bound is 0).</summary>
    public static Tensor Uniform(ComputeDevice device, ulong seed, float bound, params int[] shape)
    {
        var t = Tensor.Persistent(device, DType.Float32, shape);
        if (bound > 0) Rng.FillUniform(t, seed, 0, -bound, bound);
        return t;
    }
}
