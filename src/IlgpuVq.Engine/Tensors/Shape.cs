namespace IlgpuVq.Engine.Tensors;

/// <summary>Shape arithmetic and the checks ops run before launching a kernel.</summary>
public static class Shape
{
    public static int Size(ReadOnlySpan<int> shape)
    {
        long n = 1;
        foreach (var d in shape) n *= d;
        if (n > int.MaxValue) throw new ArgumentException($"shape [{string.Join(",", shape.ToArray())}] has more than 2^31 elements");
        return (int)n;
    }

    public static string Format(int[] shape) => $"[{string.Join(",", shape)}]";

    public static void RequireSame(string op, Tensor a, Tensor b)
    {
        if (!a.Shape.AsSpan().SequenceEqual(b.Shape))
            throw new ArgumentException($"{op}: shapes differ: {a.Describe()} vs {b.Describe()}");
    }

    public static void RequireRank(string op, Tensor t, int rank)
    {
        if (t.Rank != rank) throw new ArgumentException($"{op}: expected a rank-{rank} tensor, got {t.Describe()}");
    }

    public static void RequireSameDevice(string op, params Tensor[] tensors)
    {
        for (int i = 1; i < tensors.Length; i++)
            if (tensors[i].Device != tensors[0].Device)
                throw new ArgumentException($"{op}: tensors on different devices ({tensors[0].Device}, {tensors[i].Device})");
    }
}
