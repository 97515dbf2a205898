using IlgpuVq.Checks.Reference;
using IlgpuVq.Engine.Ops;

namespace IlgpuVq.Checks.Cases;

/// <summary>
/// Checks of <see cref="Codebook"/> against <see cref="CodebookReference"/>: the nearest-code search (forward only:
/// the quantized output), the straight-through estimator (checked through <c>straight_through(z, z + c)</c>, whose
/// gradient to z is 1 only if the estimator passes the identity to z and nothing to its second input), and the
/// codebook / commitment losses with the indices held fixed (the stop-gradient side is a non-differentiated input).
/// </summary>
public sealed class CodebookChecks : IOpChecks
{
    public IEnumerable<GradCase> Cases()
    {
        foreach (var (n, k, d) in new[] { (1, 1, 1), (7, 5, 3), (33, 13, 4), (20, 3, 37) })
            yield return new GradCase
            {
                Op = "codebook_nearest", Shapes = $"N{n} K{k} D{d}", CheckGradients = false, ForwardTolerance = new(1e-6, 1e-6),
                Inputs = [Inputs.Uniform("z", 80, -1, 1, n, d), Inputs.Uniform("codebook", 81, -1, 1, k, d)],
                Reference = x => CodebookReference.Quantize(x[0], x[1], n, k, d),
                Engine = t => Codebook.Nearest(t[0], t[1]).Quantized,
            };
        foreach (var (b, d, h, w, k) in new[] { (1, 1, 1, 1, 1), (2, 3, 4, 5, 13), (1, 5, 3, 7, 3) })
            yield return new GradCase
            {
                Op = "codebook_nearest_nchw", Shapes = $"[{b},{d},{h},{w}] K{k}", CheckGradients = false, ForwardTolerance = new(1e-6, 1e-6),
                Inputs = [Inputs.Uniform("z", 82, -1, 1, b, d, h, w), Inputs.Uniform("codebook", 83, -1, 1, k, d)],
                Reference = x => CodebookReference.QuantizeNchw(x[0], x[1], b, k, d, h * w),
                Engine = t => Codebook.NearestNchw(t[0], t[1]).Quantized,
            };

        foreach (var shape in new[] { new[] { 1, 1 }, new[] { 2, 3, 4, 5 }, new[] { 13, 5 } })
            yield return new GradCase
            {
                Op = "straight_through", Shapes = Engine.Tensors.Shape.Format(shape),
                Inputs = [Inputs.Uniform("z", 84, -1, 1, shape), Inputs.Uniform("c", 85, -1, 1, shape) with { Differentiable = false }],
                Reference = x => x[0].Zip(x[1], (z, c) => z + c).ToArray(),
                Engine = t => Codebook.StraightThrough(t[0], Elementwise.Add(t[0], t[1])),
            };

        foreach (var (b, d, h, w, k) in new[] { (1, 1, 1, 1, 1), (2, 3, 4, 5, 5), (1, 13, 3, 3, 3), (3, 5, 1, 7, 13) })
        {
            var name = $"[{b},{d},{h},{w}] K{k}";
            int hw = h * w;
            var idx = Inputs.Indices("idx", 86, k, b, h, w);
            yield return new GradCase
            {
                Op = "codebook_loss", Shapes = name,
                Inputs = [Inputs.Uniform("z", 87, -1, 1, b, d, h, w) with { Differentiable = false }, Inputs.Uniform("codebook", 88, -1, 1, k, d), idx],
                Reference = x => CodebookReference.ScaledMeanSquaredError(x[0], CodebookReference.GatherNchw(x[1], x[2], k, d, b, hw), 1),
                Engine = t => Codebook.CodebookLoss(t[0], Embedding.LookupNchw(t[1], t[2])),
            };
            yield return new GradCase
            {
                Op = "commitment_loss", Shapes = name,
                Inputs = [Inputs.Uniform("z", 89, -1, 1, b, d, h, w), Inputs.Uniform("codebook", 90, -1, 1, k, d) with { Differentiable = false }, idx],
                Reference = x => CodebookReference.ScaledMeanSquaredError(x[0], CodebookReference.GatherNchw(x[1], x[2], k, d, b, hw), 0.25),
                Engine = t => Codebook.CommitmentLoss(t[0], Embedding.LookupNchw(t[1], t[2]), 0.25f),
            };
        }
    }
}
