using IlgpuVq.Checks.Reference;
using IlgpuVq.Engine.Ops;

namespace IlgpuVq.Checks.Cases;

/// <summary>
/// Checks of <see cref="ConvTranspose2d"/> against <see cref="ConvTranspose2dReference"/>: stride 1 and 2 (also per axis),
/// padding, output padding, kernels 1×1, 2×3, 3×3, 4×4, batch 1, channel counts 1, 3, 5, 8, 9, 13, with and without bias.
/// </summary>
public sealed class ConvTranspose2dChecks : IOpChecks
{
    sealed record Spec(int N, int Cin, int H, int W, int Cout, int KH, int KW, int SH, int SW, int PH, int PW, int OPH, int OPW, bool Bias);

    public IEnumerable<GradCase> Cases()
    {
        Spec[] specs =
        [
            new(2, 3, 4, 5, 5, 4, 4, 2, 2, 1, 1, 0, 0, true),
            new(1, 1, 3, 3, 1, 1, 1, 1, 1, 0, 0, 0, 0, false),
            new(1, 5, 3, 4, 13, 3, 3, 2, 2, 1, 1, 1, 1, true),
            new(2, 13, 2, 3, 3, 2, 3, 2, 1, 0, 1, 1, 0, true),
            new(1, 4, 5, 6, 3, 3, 3, 1, 1, 1, 1, 0, 0, false),
            new(1, 2, 3, 5, 9, 4, 4, 2, 2, 1, 1, 0, 1, true),
            new(3, 2, 1, 1, 2, 3, 3, 1, 1, 0, 0, 0, 0, true),
            new(1, 3, 2, 10, 2, 4, 4, 2, 2, 1, 1, 0, 1, true),
            new(1, 2, 3, 7, 3, 3, 5, 3, 3, 1, 2, 2, 1, false),
            // 4×4 stride 2 padding 1 with ≥ 8 channels each way: the native backend's space-to-depth Winograd path for the
            // input gradient (the forward convolution it transposes) and the weight gradient, when forced (ConvWinogradTests).
            new(1, 8, 3, 4, 9, 4, 4, 2, 2, 1, 1, 1, 0, true),
        ];
        int seed = 300;
        foreach (var s in specs)
        {
            seed += 3;
            var inputs = new List<CheckInput>
            {
                Inputs.Uniform("x", seed, -1, 1, s.N, s.Cin, s.H, s.W),
                Inputs.Uniform("weight", seed + 1, -0.5, 0.5, s.Cin, s.Cout, s.KH, s.KW),
            };
            if (s.Bias) inputs.Add(Inputs.Uniform("bias", seed + 2, -1, 1, s.Cout));
            yield return new GradCase
            {
                Op = "conv_transpose2d",
                Shapes = $"x[{s.N},{s.Cin},{s.H},{s.W}] w[{s.Cin},{s.Cout},{s.KH},{s.KW}] s({s.SH},{s.SW}) p({s.PH},{s.PW}) op({s.OPH},{s.OPW}){(s.Bias ? " bias" : "")}",
                Inputs = inputs.ToArray(),
                Reference = x => ConvTranspose2dReference.Apply(x[0], x[1], s.Bias ? x[2] : null, s.N, s.Cin, s.H, s.W, s.Cout, s.KH, s.KW,
                    s.SH, s.SW, s.PH, s.PW, s.OPH, s.OPW),
                Engine = t => ConvTranspose2d.Apply(t[0], t[1], s.Bias ? t[2] : null, s.SH, s.SW, s.PH, s.PW, s.OPH, s.OPW),
                ForwardTolerance = new(1e-5, 1e-4),
                GradientTolerance = new(2e-4, 1e-3),
            };
        }
    }
}
