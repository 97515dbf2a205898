using IlgpuVq.Checks.Reference;
using IlgpuVq.Engine.Ops;
using IlgpuVq.Engine.Optim;
using IlgpuVq.Engine.Tensors;

namespace IlgpuVq.Checks.Cases;

/// <summary>Checks of <see cref="AdamW"/> against <see cref="AdamWReference"/>: three steps (bias correction, weight decay,
/// a learning-rate change between steps), so <c>ilgpuvq gradcheck</c> validates the optimizer kernel that training runs.
/// Not differentiable: the output is the parameter after the steps.</summary>
public sealed class AdamWChecks : IOpChecks
{
    const int Steps = 3;

    public IEnumerable<GradCase> Cases()
    {
        foreach (var (n, weightDecay) in new[] { (1, 0.0), (37, 0.05), (1000, 0.2) })
            yield return new GradCase
            {
                Op = "adamw", Shapes = $"[{n}] {Steps} steps wd {weightDecay}", CheckGradients = false,
                ForwardTolerance = new(2e-6, 1e-5),
                Inputs = [Inputs.Uniform("p", 60, -1, 1, n), .. Enumerable.Range(0, Steps).Select(s => Inputs.Uniform($"g{s + 1}", 61 + s, -2, 2, n))],
                Reference = x =>
                {
                    var p = (double[])x[0].Clone();
                    double[] m = new double[n], v = new double[n];
                    for (int t = 1; t <= Steps; t++)
                        AdamWReference.Step(p, x[t], m, v, t, (float)LearningRate(t), 0.9, 0.999, 1e-8, (float)weightDecay);
                    return p;
                },
                Engine = t => Run(t, (float)weightDecay),
            };
    }

    /// <summary>1e-2, then 5e-3 from the last step on.</summary>
    static double LearningRate(int step) => step < Steps ? 1e-2 : 5e-3;

    static Tensor Run(Tensor[] t, float weightDecay)
    {
        var device = t[0].Device;
        using var p = Tensor.Persistent(device, DType.Float32, t[0].Shape);
        p.CopyFrom(t[0]);
        p.Name = "p";
        p.RequiresGrad = true;
        using var opt = new AdamW([p], lr: (float)LearningRate(1), weightDecay: weightDecay);
        for (int step = 1; step <= Steps; step++)
        {
            p.ZeroGrad();
            // Backward of p·g with upstream ones sets p.Grad to exactly g.
            Elementwise.Mul(p, t[step]).Backward(Elementwise.Fill(device, 1f, p.Shape));
            opt.LearningRate = (float)LearningRate(step);
            opt.Step();
        }
        return p.Clone();
    }
}
