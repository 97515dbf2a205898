using IlgpuVq.Checks.Reference;
using IlgpuVq.Engine.Ops;

namespace IlgpuVq.Checks.Cases;

/// <summary>
/// End-to-end autograd check of a small graph, conv2d (stride 2) → ReLU → conv_transpose2d (stride 2) → MSE
/// against a fixed target: the tape's gradients to the input and both weights against finite differences of
/// the composed double references.
/// </summary>
public sealed class CompositeChecks : IOpChecks
{
    public IEnumerable<GradCase> Cases()
    {
        const int n = 2, cin = 3, h = 6, w = 5, mid = 4;
        // conv k3 s2 p1: 6x5 → 3x3; convT k4 s2 p1: 3x3 → 6x6
        int oh = (h + 2 - 3) / 2 + 1, ow = (w + 2 - 3) / 2 + 1;
        int th = (oh - 1) * 2 - 2 + 4, tw = (ow - 1) * 2 - 2 + 4;
        yield return new GradCase
        {
            Op = "composite", Shapes = $"conv[{cin}→{mid} k3 s2 p1] relu convT[{mid}→{cin} k4 s2 p1] mse on x[{n},{cin},{h},{w}]",
            Inputs =
            [
                Inputs.Uniform("x", 31, -1, 1, n, cin, h, w),
                Inputs.Uniform("w1", 32, -0.5, 0.5, mid, cin, 3, 3),
                Inputs.Uniform("w2", 33, -0.5, 0.5, mid, cin, 4, 4),
                Inputs.Uniform("target", 34, -1, 1, n, cin, th, tw) with { Differentiable = false },
            ],
            Reference = x =>
            {
                var a = Conv2dReference.Apply(x[0], x[1], null, n, cin, h, w, mid, 3, 3, 2, 2, 1, 1, 1, 1);
                var r = ElementwiseReference.Relu(a);
                var y = ConvTranspose2dReference.Apply(r, x[2], null, n, mid, oh, ow, cin, 4, 4, 2, 2, 1, 1, 0, 0);
                return LossReference.Mse(y, x[3]);
            },
            Engine = t => Loss.Mse(ConvTranspose2d.Apply(Elementwise.Relu(Conv2d.Apply(t[0], t[1], null, 2, 1)), t[2], null, 2, 1), t[3]),
            GradientTolerance = new Tolerance(1e-5, 1e-3),
        };
    }
}
