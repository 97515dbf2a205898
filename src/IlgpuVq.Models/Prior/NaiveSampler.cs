using IlgpuVq.Engine.Memory;
using IlgpuVq.Engine.Ops;
using IlgpuVq.Engine.Tensors;

namespace IlgpuVq.Models.Prior;

/// <summary>
/// The reference sampler: for every position, a full prior forward over the whole code map, then the draw at that position
/// (ritheshkumar95/pytorch-vqvae's <c>generate</c>). H·W forwards: the oracle that <see cref="CachedSampler"/> must equal.
/// </summary>
public static class NaiveSampler
{
    /// <summary>Fills <paramref name="codes"/> [B,H,W] position by position (see <see cref="PriorSampling"/>).</summary>
    public static void Run(GatedPixelCnn prior, Tensor? labels, Tensor codes, float temperature, ulong seed, ulong offset, Func<int, bool>? rowDone)
    {
        int height = codes.Shape[1], width = codes.Shape[2];
        for (int i = 0; i < height; i++)
        {
            for (int j = 0; j < width; j++)
                using (new TensorScope())
                    Rng.SampleCategorical(prior.Forward(codes, labels), i, j, temperature, seed, offset, codes);
            if (rowDone != null && !rowDone(i + 1)) return;
        }
    }
}
