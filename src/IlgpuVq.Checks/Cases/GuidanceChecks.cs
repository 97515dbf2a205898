using IlgpuVq.Checks.Reference;
using IlgpuVq.Engine.Ops;

namespace IlgpuVq.Checks.Cases;

/// <summary>
/// Checks of <see cref="Guidance"/> against <see cref="GuidanceReference"/> (forward only: a sampling op): the cached sampler's
/// [2B,K] logits and the naive sampler's [2B,K,H,W], batch 1, odd sizes, a length past one 16-lane vector with a tail, scales 0
/// (unconditional), 1, between and above, and logits of ±1e4 (finite out).
/// </summary>
public sealed class GuidanceChecks : IOpChecks
{
    public IEnumerable<GradCase> Cases()
    {
        foreach (var (shape, scale, range) in new (int[] Shape, float Scale, double Range)[]
                 {
                     ([2, 1], 2f, 2), ([6, 5], 0f, 2), ([2, 37], 1f, 2), ([4, 7, 3, 3], 1.5f, 2), ([8, 33], 3f, 2), ([2, 19], 2.5f, 1e4),
                 })
        {
            int batch = shape[0] / 2, inner = shape[1..].Aggregate(1, (a, b) => a * b);
            yield return new GradCase
            {
                Op = "guidance_mix", Shapes = $"[{string.Join(",", shape)}] scale {scale}{(range > 100 ? " large logits" : "")}",
                // The float inputs are the double ones rounded (half an ulp of 1e4 is 5e-4), and the mix amplifies that by up to 1 + 2·scale.
                ForwardTolerance = new(range > 100 ? 1e-2 : 1e-5, 1e-5), CheckGradients = false,
                Inputs = [Inputs.Uniform("logits", 60, -range, range, shape)],
                Reference = x => GuidanceReference.Mix(x[0], batch, inner, scale),
                Engine = t => Guidance.Mix(t[0], scale),
            };
        }
    }
}
