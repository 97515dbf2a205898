using IlgpuVq.Checks.Reference;
using IlgpuVq.Engine.Ops;

namespace IlgpuVq.Checks.Cases;

/// <summary>
/// Checks of <see cref="Conv2d"/> against <see cref="Conv2dReference"/>: kernels 1×1, 2×3, 3×3, 4×4, 7×7; stride 1 and 2
/// (also different per axis) and 3; symmetric and asymmetric padding; batch 1; channel counts 1, 3, 5, 13 (not multiples of the
/// 4-channel tile), 8–10 (the native backend's Winograd paths for 3×3 and 2×3 stride 1, which the tests force for these small cases) and widths that are not multiples of the 8-column tile; with and without bias;
/// and the convolution of relu(x) (<c>reluInput</c>) against the reference of relu then conv.
/// </summary>
public sealed class Conv2dChecks : IOpChecks
{
    sealed record Spec(int N, int Cin, int H, int W, int Cout, int KH, int KW, int SH, int SW, Padding2d P, bool Bias, bool Relu = false);

    public IEnumerable<GradCase> Cases()
    {
        Spec[] specs =
        [
            new(2, 3, 5, 7, 5, 3, 3, 1, 1, Padding2d.Same(1), true),
            new(1, 1, 6, 6, 1, 1, 1, 1, 1, Padding2d.Same(0), false),
            new(2, 13, 4, 5, 3, 1, 1, 2, 2, Padding2d.Same(0), true),
            new(1, 3, 8, 9, 13, 4, 4, 2, 2, Padding2d.Same(1), true),
            new(2, 5, 7, 6, 5, 2, 3, 2, 1, new Padding2d(0, 1, 2, 1), true),
            new(1, 2, 9, 11, 3, 3, 3, 1, 2, new Padding2d(1, 0, 0, 2), false),
            new(1, 4, 3, 19, 9, 3, 3, 1, 1, new Padding2d(2, 0, 1, 1), true),
            new(1, 2, 7, 7, 3, 7, 7, 1, 1, Padding2d.Same(3), true),
            new(3, 1, 1, 1, 2, 1, 1, 1, 1, Padding2d.Same(0), true),
            new(1, 2, 3, 37, 3, 3, 4, 2, 2, new Padding2d(1, 1, 1, 2), true),
            new(1, 3, 5, 29, 2, 3, 3, 3, 3, new Padding2d(0, 2, 1, 0), false),
            // Stride-1 3×3 with ≥ 8 channels each way: the native backend's Winograd path (forward, input and weight gradients)
            // when forced to it (WinogradUse.Always, in ConvWinogradTests); by default it takes only larger ones.
            new(2, 9, 5, 7, 10, 3, 3, 1, 1, Padding2d.Same(1), true),
            new(1, 8, 6, 5, 8, 3, 3, 1, 1, new Padding2d(2, 0, 0, 1), false),
            // 2×3 with ≥ 8 channels (the prior's vertical stack): the F(2×2, 2×3) Winograd path when forced.
            new(2, 8, 5, 7, 9, 2, 3, 1, 1, new Padding2d(1, 0, 1, 1), true),
            // The convolution of relu(x) (reluInput: the ReLU fused into the reads of x), on each native path that reads x:
            // the Winograd input transforms (3×3, 2×3; 4×4 stride 2 by space-to-depth), im2col (stride 2 per axis, asymmetric
            // padding, 7×7), the 1×1 product (batch 1 and 3, channels off every tile).
            new(2, 9, 5, 7, 10, 3, 3, 1, 1, Padding2d.Same(1), true, Relu: true),
            new(2, 8, 5, 7, 9, 2, 3, 1, 1, new Padding2d(1, 0, 1, 1), false, Relu: true),
            new(1, 3, 8, 9, 13, 4, 4, 2, 2, Padding2d.Same(1), true, Relu: true),
            new(2, 5, 7, 6, 5, 2, 3, 2, 1, new Padding2d(0, 1, 2, 1), true, Relu: true),
            new(1, 2, 7, 7, 3, 7, 7, 1, 1, Padding2d.Same(3), false, Relu: true),
            new(1, 13, 4, 5, 3, 1, 1, 1, 1, Padding2d.Same(0), true, Relu: true),
            new(3, 5, 3, 7, 9, 1, 1, 1, 1, Padding2d.Same(0), false, Relu: true),
        ];
        int seed = 100;
        foreach (var s in specs)
        {
            seed += 3;
            var inputs = new List<CheckInput>
            {
                s.Relu ? Inputs.AwayFromZero("x", seed, 1e-3, s.N, s.Cin, s.H, s.W) : Inputs.Uniform("x", seed, -1, 1, s.N, s.Cin, s.H, s.W),
                Inputs.Uniform("weight", seed + 1, -0.5, 0.5, s.Cout, s.Cin, s.KH, s.KW),
            };
            if (s.Bias) inputs.Add(Inputs.Uniform("bias", seed + 2, -1, 1, s.Cout));
            yield return new GradCase
            {
                Op = "conv2d",
                Shapes = $"x[{s.N},{s.Cin},{s.H},{s.W}] w[{s.Cout},{s.Cin},{s.KH},{s.KW}] s({s.SH},{s.SW}) p({s.P}){(s.Bias ? " bias" : "")}{(s.Relu ? " relu(x)" : "")}",
                Inputs = inputs.ToArray(),
                Reference = x => Conv2dReference.Apply(s.Relu ? ElementwiseReference.Relu(x[0]) : x[0], x[1], s.Bias ? x[2] : null, s.N, s.Cin,
                    s.H, s.W, s.Cout, s.KH, s.KW, s.SH, s.SW, s.P.Top, s.P.Bottom, s.P.Left, s.P.Right),
                Engine = t => Conv2d.Apply(t[0], t[1], s.Bias ? t[2] : null, s.SH, s.SW, s.P, reluInput: s.Relu),
                ForwardTolerance = new(1e-5, 1e-4),
                GradientTolerance = new(2e-4, 1e-3),
            };
        }
    }
}
