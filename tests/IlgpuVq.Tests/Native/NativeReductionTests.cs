using ILGPU;
using IlgpuVq.Engine.Devices;
using IlgpuVq.Engine.Memory;
using IlgpuVq.Engine.Ops;
using static IlgpuVq.Tests.Native.NativeTestKit;
using V = ILGPU.ArrayView<float>;

namespace IlgpuVq.Tests.Native;

/// <summary>The native grid-stride reductions, broadcasts and batch-bias kernels against their kernel bodies on the host
/// (bit-identical, both worker counts), on [batch, channels, inner] shapes with odd sizes.</summary>
public class NativeReductionTests
{
    static readonly Index1D First = new(0);

    public static IEnumerable<object[]> Shapes =>
        new[] { (1, 1, 1), (1, 7, 1), (3, 17, 1), (2, 5, 100), (7, 3, 1021), (1, 1, 100003), (4, 32, 64), (2, 9, 8) }.Select(s => new object[] { s.Item1, s.Item2, s.Item3 });

    /// <summary>The kernel and its native on a zeroed output of <paramref name="outLength"/>: equal bits.</summary>
    static void Compare<TDelegate>(KernelSlot<TDelegate> slot, float[] x, int outLength, Action<TDelegate, V, V> launch) where TDelegate : Delegate =>
        BitIdenticalOneToOne(slot, x, new float[outLength], launch);

    /// <summary>The two-pass sums' first passes as the native backend launches them (one group of one thread): the scaled,
    /// in-order double sum of x (the sum of partials) and of (p − t)² (the MSE loss), bit for bit, for 1 and 2 workers, with
    /// −0 and tiny terms among large ones (an accumulation in float would not give these bits at 100003 terms).</summary>
    [Theory]
    [InlineData(1)]
    [InlineData(17)]
    [InlineData(100003)]
    public void GroupedFirstPassesAreTheOrderedDoubleSums(int n)
    {
        var p = Random(5, n, -1e4f, 1e4f);
        var t = Random(6, n);
        for (int i = 0; i < n; i += 7) (p[i], t[i]) = (i % 2 == 0 ? -0f : 3e-8f, 0f);
        double sum = 0, squares = 0;
        for (int i = 0; i < n; i++)
        {
            sum += p[i];
            double d = p[i] - t[i];
            squares += d * d;
        }
        var config = new KernelConfig(new Index1D(1), new Index1D(1));
        foreach (int workers in new[] { 1, 2 })
        {
            var (partial, loss) = WithWorkers(workers, () =>
            {
                using var scope = new TensorScope();
                var (a, b, y, z) = (T(p), T(t), T(new float[1]), T(new float[1]));
                NativeOf(Reduction.PartialsKernel)(config, a.View, n, 0.5f, y.View);
                NativeOf(Loss.PartialsKernel)(config, a.View, b.View, n, 0.25f, z.View);
                return (y.ToArray(), z.ToArray());
            });
            BitEqual([(float)(sum * 0.5f)], partial);
            BitEqual([(float)(squares * 0.25f)], loss);
        }
    }

    [Theory, MemberData(nameof(Shapes))]
    public void ReductionsAndBroadcastsAreBitIdentical(int batch, int channels, int inner)
    {
        int n = batch * channels * inner;
        var x = Random(n, n);
        int slices = Math.Clamp(batch * inner / 64, 1, 1024);
        Compare(Reduction.ChannelSlicesKernel, x, channels * slices,
            (k, a, y) => k(First, channels * slices, 1, a, batch, channels, inner, slices, y));
        Compare(Reduction.RowKernel, x, batch * channels,
            (k, a, y) => k(First, batch * channels, 1, a, inner, 0.3f, y));
        var dy = Random(channels, Math.Max(channels, batch * channels));
        Compare(Reduction.BroadcastScalarKernel, dy, n, (k, a, y) => k(First, n, 1, a, 0.7f, y));
        Compare(Reduction.BroadcastChannelKernel, dy, n, (k, a, y) => k(First, n, 1, a, channels, inner, 0.7f, y));
        Compare(Reduction.BroadcastRowsKernel, dy, n, (k, a, y) => k(First, n, 1, a, inner, 0.7f, y));
        Compare(BatchBias.BiasGradKernel, x, batch * channels, (k, a, y) => k(First, batch * channels, 1, a, y, inner));
        using (var scope = new TensorScope())
        {
            var bias = T(dy);
            Compare(BatchBias.ForwardKernel, x, n, (k, a, y) => k(First, n, 1, a, bias.View, y, inner));
        }
    }
}
