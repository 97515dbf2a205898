using IlgpuVq.Engine.Autograd;
using IlgpuVq.Engine.Memory;
using IlgpuVq.Engine.Tensors;

namespace IlgpuVq.Models.Prior;

/// <summary>
/// Sampling of code maps from a <see cref="GatedPixelCnn"/>: batched over all samples, position by position in raster order
/// (Gumbel-max with temperature, the noise of position (b, i, j) a pure function of the seed), on the device with no host
/// round trip per position. Sample b of a call with <c>firstSample</c> f draws the noise of sample f + b, so a long run split
/// into batches gives every sample the same image as one big batch would. <c>rowDone</c> callbacks get the number of rows completed and return whether to go on
/// (a benchmark stops early; the rest of the map is then left at code 0). Guidance s ≠ 1 (classifier-free guidance, Ho &amp;
/// Salimans 2022; needs a prior trained with <see cref="PixelCnnConfig.LabelDropout"/>) draws every position from
/// l_null + s·(l_cond − l_null): both samplers run the B samples' maps twice, under their classes and under the null class,
/// at twice the cost; the noise is the unguided draw's, so s = 1 is exactly plain conditional sampling.
/// </summary>
public static class PriorSampling
{
    /// <summary>Code maps [count, height, width] (int32, on the prior's device, in the caller's scope).</summary>
    public static Tensor SampleCodes(GatedPixelCnn prior, int count, int[] classes, int height, int width, float temperature, ulong seed,
        PriorSampler sampler = PriorSampler.Cached, Func<int, bool>? rowDone = null, int firstSample = 0, float guidance = 1f)
    {
        if (count < 1) throw new ArgumentException($"count must be at least 1 (got {count})");
        if (!(temperature > 0)) throw new ArgumentException($"temperature must be > 0 (got {temperature})");
        CheckGuidance(prior.Config, guidance);
        if (prior.Config.ClassConditional && classes.Length != count) throw new ArgumentException($"need a class for each of the {count} samples");
        if (firstSample < 0) throw new ArgumentException($"firstSample must be ≥ 0 (got {firstSample})");
        if (height < 1 || width < 1) throw new ArgumentException($"the code grid must be at least 1x1 (got {height}x{width})");
        var device = prior.CodeEmbedding.Device;
        using var noGrad = GradMode.NoGrad();
        var codes = Tensor.ZerosInt(device, count, height, width);
        using (new TensorScope())
        {
            bool guided = Guided(guidance);
            var labels = !prior.Config.ClassConditional ? null
                : guided ? Tensor.FromIntArray(device, [.. classes, .. Enumerable.Repeat(prior.Config.NullClass, count)], 2 * count)
                : Tensor.FromIntArray(device, classes, count);
            ulong offset = (ulong)firstSample * (ulong)(height * width) * (ulong)prior.Config.NumCodes;
            if (sampler == PriorSampler.Cached) CachedSampler.Run(prior, labels, codes, temperature, guidance, seed, offset, rowDone);
            else NaiveSampler.Run(prior, labels, codes, temperature, guidance, seed, offset, rowDone);
        }
        return codes;
    }

    /// <summary>Whether <paramref name="guidance"/> asks for guided sampling (1 is plain conditional sampling).</summary>
    public static bool Guided(float guidance) => guidance != 1f;

    /// <summary>Guidance must be finite and ≥ 0 (0: the null class alone, unconditional), and other than 1 only for a prior
    /// that has the null class.</summary>
    public static void CheckGuidance(PixelCnnConfig prior, float guidance)
    {
        if (!(guidance >= 0 && float.IsFinite(guidance))) throw new ArgumentException($"guidance must be ≥ 0 (got {guidance})");
        if (Guided(guidance) && !prior.HasNullClass)
            throw new ArgumentException(prior.ClassConditional
                ? $"guidance {guidance} needs a prior trained with label dropout (train prior --label-dropout P); this one has no null class, use guidance 1"
                : $"guidance {guidance} needs a class-conditional prior trained with label dropout; this one is unconditional, use guidance 1");
    }
}
