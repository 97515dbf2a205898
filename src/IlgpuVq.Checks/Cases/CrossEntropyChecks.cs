using IlgpuVq.Checks.Reference;
using IlgpuVq.Engine.Ops;

namespace IlgpuVq.Checks.Cases;

/// <summary>Checks of <see cref="CrossEntropy"/> (mean and per-position) against <see cref="CrossEntropyReference"/>,
/// on [B,K,H,W] and [N,K] logits, with K = 1 (loss 0, gradient 0), 3, 5, 13 and an ignored (out-of-range) target.</summary>
public sealed class CrossEntropyChecks : IOpChecks
{
    public IEnumerable<GradCase> Cases()
    {
        // H = 0 means [N,K] logits with [N] targets.
        var shapes = new (int B, int K, int H, int W)[] { (1, 1, 1, 1), (2, 3, 4, 5), (1, 5, 3, 3), (1, 13, 2, 7), (3, 5, 0, 0), (1, 13, 0, 0), (7, 1, 0, 0) };
        foreach (var (b, k, h, w) in shapes)
        {
            bool flat = h == 0;
            int hw = flat ? 1 : h * w;
            int[] logitShape = flat ? [b, k] : [b, k, h, w];
            int[] targetShape = flat ? [b] : [b, h, w];
            var name = $"{Engine.Tensors.Shape.Format(logitShape)}";
            var targets = Inputs.Indices("t", 71, k, targetShape);
            yield return Mean(name, b, k, hw, logitShape, targets);
            yield return PerPosition(name, b, k, hw, logitShape, targets);
        }

        // Out-of-range targets (-1 and K) are ignored positions.
        var ignored = new CheckInput("t", [2, 2, 2], [0, -1, 2, 1, 3, 2, 0, 1], Differentiable: false, IsInt: true);
        yield return Mean("[2,3,2,2] ignored targets", 2, 3, 4, [2, 3, 2, 2], ignored);
        yield return PerPosition("[2,3,2,2] ignored targets", 2, 3, 4, [2, 3, 2, 2], ignored);
    }

    static GradCase Mean(string name, int b, int k, int hw, int[] logitShape, CheckInput targets) => new()
    {
        Op = "cross_entropy", Shapes = name,
        Inputs = [Inputs.Uniform("logits", 70, -4, 4, logitShape), targets],
        Reference = x => CrossEntropyReference.Mean(x[0], x[1], b, k, hw),
        Engine = t => CrossEntropy.Mean(t[0], t[1]),
    };

    static GradCase PerPosition(string name, int b, int k, int hw, int[] logitShape, CheckInput targets) => new()
    {
        Op = "cross_entropy_per_position", Shapes = name,
        Inputs = [Inputs.Uniform("logits", 72, -4, 4, logitShape), targets],
        Reference = x => CrossEntropyReference.PerPosition(x[0], x[1], b, k, hw),
        Engine = t => CrossEntropy.PerPosition(t[0], t[1]),
    };
}
