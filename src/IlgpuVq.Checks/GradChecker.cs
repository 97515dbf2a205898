using IlgpuVq.Engine.Devices;
using IlgpuVq.Engine.Memory;
using IlgpuVq.Engine.Tensors;

namespace IlgpuVq.Checks;

/// <summary>Runs a <see cref="GradCase"/> on a device and measures the forward and gradient errors.</summary>
public static class GradChecker
{
    public static CheckResult Run(ComputeDevice device, GradCase c)
    {
        using var scope = new TensorScope();
        var tensors = c.CreateTensors(device);

        var output = c.Engine(tensors);
        var actual = output.ToArray();
        var hostInputs = c.Inputs.Select(x => x.Data).ToArray();
        var expected = c.Reference(hostInputs);
        var fwd = Compare(actual, expected, c.ForwardTolerance);
        string? failure = null;
        if (actual.Length != expected.Length) failure = $"output has {actual.Length} elements, reference {expected.Length}";
        else if (fwd.WorstIndex >= 0)
            failure = $"forward[{fwd.WorstIndex}] = {actual[fwd.WorstIndex]:g6}, reference {expected[fwd.WorstIndex]:g6}";
        else if (actual.Any(v => !float.IsFinite(v))) failure = "forward produced a non-finite value";

        var grad = new ErrorStats(0, 0, -1);
        if (failure == null && c.CheckGradients)
            (grad, failure) = CheckGradients(c, tensors, output, hostInputs);

        return new CheckResult(c.Op, c.Shapes, device.Name, fwd.MaxAbs, fwd.MaxRel, grad.MaxAbs, grad.MaxRel, failure == null, failure);
    }

    static (ErrorStats, string?) CheckGradients(GradCase c, Tensor[] tensors, Tensor output, double[][] hostInputs)
    {
        var rng = new Random(c.Seed);
        var upstream = new double[output.Length];
        for (int i = 0; i < upstream.Length; i++) upstream[i] = rng.NextDouble() * 2 - 1;
        var g = Tensor.FromArray(output.Device, upstream.Select(v => (float)v).ToArray(), output.Shape);
        output.Backward(g);

        double maxAbs = 0, maxRel = 0;
        for (int k = 0; k < c.Inputs.Length; k++)
        {
            if (!tensors[k].RequiresGrad) continue;
            var analytic = tensors[k].Grad?.ToArray() ?? new float[tensors[k].Length];
            var x = (double[])hostInputs[k].Clone();
            var args = (double[][])hostInputs.Clone();
            args[k] = x;
            foreach (var j in SamplePoints(x.Length, c.MaxFiniteDifferencePoints))
            {
                var saved = x[j];
                x[j] = saved + c.Step;
                var plus = Dot(c.Reference(args), upstream);
                x[j] = saved - c.Step;
                var minus = Dot(c.Reference(args), upstream);
                x[j] = saved;
                var numeric = (plus - minus) / (2 * c.Step);
                var abs = Math.Abs(analytic[j] - numeric);
                maxAbs = Math.Max(maxAbs, abs);
                maxRel = Math.Max(maxRel, abs / Math.Max(1e-12, Math.Max(Math.Abs(analytic[j]), Math.Abs(numeric))));
                if (!c.GradientTolerance.Accepts(analytic[j], numeric))
                    return (new ErrorStats(maxAbs, maxRel, j), $"d/d{c.Inputs[k].Name}[{j}] = {analytic[j]:g6}, finite differences {numeric:g6}");
            }
        }
        return (new ErrorStats(maxAbs, maxRel, -1), null);
    }

    /// <summary>Up to <paramref name="max"/> indices spread evenly over [0, n), first and last included.</summary>
    public static IEnumerable<int> SamplePoints(int n, int max)
    {
        if (n <= max) { for (int i = 0; i < n; i++) yield return i; yield break; }
        for (int k = 0; k < max; k++) yield return (int)((long)k * (n - 1) / (max - 1));
    }

    static double Dot(double[] a, double[] b)
    {
        double s = 0;
        for (int i = 0; i < a.Length; i++) s += a[i] * b[i];
        return s;
    }

    readonly record struct ErrorStats(double MaxAbs, double MaxRel, int WorstIndex);

    static ErrorStats Compare(float[] actual, double[] expected, Tolerance tol)
    {
        double maxAbs = 0, maxRel = 0;
        int worst = -1;
        for (int i = 0; i < Math.Min(actual.Length, expected.Length); i++)
        {
            var abs = Math.Abs(actual[i] - expected[i]);
            maxAbs = Math.Max(maxAbs, abs);
            maxRel = Math.Max(maxRel, abs / Math.Max(1e-12, Math.Max(Math.Abs(actual[i]), Math.Abs(expected[i]))));
            if (worst < 0 && !tol.Accepts(actual[i], expected[i])) worst = i;
        }
        return new ErrorStats(maxAbs, maxRel, worst);
    }
}
