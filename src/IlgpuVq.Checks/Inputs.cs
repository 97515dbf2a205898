namespace IlgpuVq.Checks;

/// <summary>Seeded inputs for checks.</summary>
public static class Inputs
{
    /// <summary>Uniform values in [lo, hi), deterministic for a seed.</summary>
    public static CheckInput Uniform(string name, int seed, double lo, double hi, params int[] shape)
    {
        var rng = new Random(seed);
        var n = Engine.Tensors.Shape.Size(shape);
        var data = new double[n];
        for (int i = 0; i < n; i++) data[i] = lo + (hi - lo) * rng.NextDouble();
        return new CheckInput(name, shape, data);
    }

    /// <summary>Uniform values in [-1, 1) that stay at least <paramref name="gap"/> away from 0 (for ops with a kink at 0).</summary>
    public static CheckInput AwayFromZero(string name, int seed, double gap, params int[] shape)
    {
        var x = Uniform(name, seed, -1, 1, shape);
        for (int i = 0; i < x.Data.Length; i++)
            if (Math.Abs(x.Data[i]) < gap) x.Data[i] = x.Data[i] < 0 ? -gap : gap;
        return x;
    }

    /// <summary>Integers in [0, count), deterministic for a seed; not differentiated.</summary>
    public static CheckInput Indices(string name, int seed, int count, params int[] shape)
    {
        var rng = new Random(seed);
        var n = Engine.Tensors.Shape.Size(shape);
        var data = new double[n];
        for (int i = 0; i < n; i++) data[i] = rng.Next(count);
        return new CheckInput(name, shape, data, Differentiable: false, IsInt: true);
    }
}
