using IlgpuVq.Engine.Devices;
using IlgpuVq.Engine.Memory;
using IlgpuVq.Engine.Tensors;

namespace IlgpuVq.Checks;

/// <summary>
/// The differential check between two devices (e.g. the native <c>cpu</c> backend and ILGPU's <c>cpu-sim</c>): the same
/// <see cref="GradCase"/> inputs and the same seeded upstream gradient go through both; outputs and every input gradient
/// must agree within the case's tolerances (forward tolerance for outputs, gradient tolerance for gradients).
/// </summary>
public static class BackendAgreement
{
    /// <summary>Null when the devices agree, otherwise what differs first.</summary>
    public static string? Compare(GradCase c, ComputeDevice a, ComputeDevice b)
    {
        var (outA, gradsA) = Run(c, a);
        var (outB, gradsB) = Run(c, b);
        if (Differ(outA, outB, c.ForwardTolerance, "output") is { } f) return $"{c.Id}: {a.Name} vs {b.Name}: {f}";
        for (int k = 0; k < gradsA.Length; k++)
            if (Differ(gradsA[k], gradsB[k], c.GradientTolerance, $"d/d{c.Inputs[k].Name}") is { } g) return $"{c.Id}: {a.Name} vs {b.Name}: {g}";
        return null;
    }

    /// <summary>Output and input gradients (empty for inputs that get none) of <paramref name="c"/> on <paramref name="device"/>.</summary>
    public static (float[] Output, float[][] Gradients) Run(GradCase c, ComputeDevice device)
    {
        using var scope = new TensorScope();
        var tensors = c.CreateTensors(device);
        var output = c.Engine(tensors);
        var values = output.DType == DType.Int32 ? output.ToIntArray().Select(v => (float)v).ToArray() : output.ToArray();
        var grads = new float[tensors.Length][];
        if (c.CheckGradients)
        {
            var rng = new Random(c.Seed);
            var upstream = new float[output.Length];
            for (int i = 0; i < upstream.Length; i++) upstream[i] = (float)(rng.NextDouble() * 2 - 1);
            output.Backward(Tensor.FromArray(device, upstream, output.Shape));
        }
        for (int k = 0; k < tensors.Length; k++)
            grads[k] = tensors[k].RequiresGrad ? tensors[k].Grad?.ToArray() ?? new float[tensors[k].Length] : [];
        return (values, grads);
    }

    static string? Differ(float[] x, float[] y, Tolerance tol, string what)
    {
        if (x.Length != y.Length) return $"{what} has {x.Length} vs {y.Length} elements";
        for (int i = 0; i < x.Length; i++)
            if (!tol.Accepts(x[i], y[i]) || float.IsFinite(x[i]) != float.IsFinite(y[i]))
                return $"{what}[{i}] = {x[i]:g7} vs {y[i]:g7}";
        return null;
    }
}
