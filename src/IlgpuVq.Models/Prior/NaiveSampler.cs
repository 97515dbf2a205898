using IlgpuVq.Engine.Memory;
using IlgpuVq.Engine.Ops;
using IlgpuVq.Engine.Tensors;

namespace IlgpuVq.Models.Prior;

/// <summary>
/// The reference sampler: for every position, a full prior forward over the whole code map, then the draw at that position
/// (ritheshkumar95/pytorch-vqvae's <c>generate</c>). H·W forwards: the oracle that <see cref="CachedSampler"/> must equal.
/// Guided (<see cref="PriorSampling"/>): each forward runs the stacked batch of 2B maps (the samples' classes, then the null
/// class), the draw is from <see cref="Guidance.Mix"/> of its logits and goes into both halves of the maps.
/// </summary>
public static class NaiveSampler
{
    /// <summary>Fills <paramref name="codes"/> [B,H,W] position by position (see <see cref="PriorSampling"/>); <paramref name="labels"/>
    /// holds 2B labels when <paramref name="guidance"/> ≠ 1.</summary>
    public static void Run(GatedPixelCnn prior, Tensor? labels, Tensor codes, float temperature, float guidance, ulong seed, ulong offset, Func<int, bool>? rowDone)
    {
        int height = codes.Shape[1], width = codes.Shape[2];
        bool guided = PriorSampling.Guided(guidance);
        using var scope = new TensorScope();
        var maps = guided ? Tensor.ZerosInt(codes.Device, 2 * codes.Shape[0], height, width) : codes;
        try
        {
            for (int i = 0; i < height; i++)
            {
                for (int j = 0; j < width; j++)
                    using (new TensorScope())
                    {
                        var logits = prior.Forward(maps, labels);
                        Rng.SampleCategorical(guided ? Guidance.Mix(logits, guidance) : logits, i, j, temperature, seed, offset, maps);
                    }
                if (rowDone != null && !rowDone(i + 1)) return;
            }
        }
        finally
        {
            if (guided) codes.CopyFrom(maps.ToIntArray()[..codes.Length]); // the conditional half (the reference sampler may copy through the host)
        }
    }
}
