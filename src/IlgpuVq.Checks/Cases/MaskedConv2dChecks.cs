using IlgpuVq.Checks.Reference;
using IlgpuVq.Engine.Ops;

namespace IlgpuVq.Checks.Cases;

/// <summary>
/// Checks of <see cref="MaskedConv2d"/> against <see cref="MaskedConv2dReference"/>: full 7×7 and 3×3 masks of type A and B,
/// vertical-stack (k/2+1)×k and horizontal-stack 1×(k/2+1) kernels with their causal padding, odd channel counts, bias.
/// The finite differences also confirm that masked-out weights have zero gradient.
/// </summary>
public sealed class MaskedConv2dChecks : IOpChecks
{
    sealed record Spec(MaskKind Kind, MaskType Type, int K, int N, int Cin, int H, int W, int Cout, bool Bias);

    public IEnumerable<GradCase> Cases()
    {
        Spec[] specs =
        [
            new(MaskKind.Full, MaskType.A, 7, 1, 2, 8, 7, 3, true),
            new(MaskKind.Full, MaskType.B, 3, 2, 3, 5, 6, 5, false),
            new(MaskKind.Vertical, MaskType.A, 3, 1, 3, 6, 5, 13, true),
            new(MaskKind.Vertical, MaskType.B, 7, 1, 1, 7, 7, 1, false),
            new(MaskKind.Horizontal, MaskType.A, 3, 2, 5, 4, 9, 3, true),
            new(MaskKind.Horizontal, MaskType.B, 5, 1, 3, 3, 10, 5, true),
        ];
        int seed = 500;
        foreach (var s in specs)
        {
            seed += 3;
            int kh = s.Kind switch { MaskKind.Full => s.K, MaskKind.Vertical => s.K / 2 + 1, _ => 1 };
            int kw = s.Kind == MaskKind.Horizontal ? s.K / 2 + 1 : s.K;
            var pad = MaskedConv2d.CausalPadding(s.Kind, kh, kw);
            var kind = s.Kind.ToString().ToLowerInvariant();
            var hostMask = MaskedConv2dReference.Mask(kind, s.Type == MaskType.B, kh, kw, s.Cout, s.Cin);
            var inputs = new List<CheckInput>
            {
                Inputs.Uniform("x", seed, -1, 1, s.N, s.Cin, s.H, s.W),
                Inputs.Uniform("weight", seed + 1, -0.5, 0.5, s.Cout, s.Cin, kh, kw),
            };
            if (s.Bias) inputs.Add(Inputs.Uniform("bias", seed + 2, -1, 1, s.Cout));
            yield return new GradCase
            {
                Op = "masked_conv2d",
                Shapes = $"{kind} {s.Type} x[{s.N},{s.Cin},{s.H},{s.W}] w[{s.Cout},{s.Cin},{kh},{kw}] p({pad}){(s.Bias ? " bias" : "")}",
                Inputs = inputs.ToArray(),
                Reference = x => MaskedConv2dReference.Apply(x[0], x[1], hostMask, s.Bias ? x[2] : null, s.N, s.Cin, s.H, s.W, s.Cout,
                    kh, kw, pad.Top, pad.Bottom, pad.Left, pad.Right),
                Engine = t => MaskedConv2d.Apply(t[0], t[1], MaskedConv2d.BuildMask(t[0].Device, s.Kind, s.Type, kh, kw, s.Cout, s.Cin),
                    s.Bias ? t[2] : null, pad),
                ForwardTolerance = new(1e-5, 1e-4),
                GradientTolerance = new(2e-4, 1e-3),
            };
        }
    }
}
