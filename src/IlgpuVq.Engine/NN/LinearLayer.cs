using IlgpuVq.Engine.Devices;
using IlgpuVq.Engine.Ops;
using IlgpuVq.Engine.Tensors;

namespace IlgpuVq.Engine.NN;

/// <summary>
/// A fully connected layer (PyTorch nn.Linear): x [N,in] → x·Wᵀ + b [N,out], weight [out, in], bias [out], initialised
/// like PyTorch's default, U(−1/√in, 1/√in). Ops: <see cref="Gemm"/> (transposed B, no copy) and <see cref="Elementwise.BiasAdd"/>.
/// </summary>
public sealed class LinearLayer : Module
{
    public LinearLayer(ComputeDevice device, SeedSequence seeds, int inFeatures, int outFeatures)
    {
        var bound = 1f / MathF.Sqrt(inFeatures);
        Weight = RegisterParameter("weight", Rng.UniformParameter(device, seeds.Next(), [outFeatures, inFeatures], bound));
        Bias = RegisterParameter("bias", Rng.UniformParameter(device, seeds.Next(), [outFeatures], bound));
    }

    public Tensor Weight { get; }
    public Tensor Bias { get; }

    public Tensor Forward(Tensor x) => Elementwise.BiasAdd(Gemm.Apply(x, Weight, transB: true), Bias);
}
