using ILGPU;
using IlgpuVq.Engine.Memory;
using IlgpuVq.Engine.Ops;
using IlgpuVq.Kernels;
using static IlgpuVq.Tests.Native.NativeTestKit;

namespace IlgpuVq.Tests.Native;

/// <summary>The native embedding kernels against their kernel bodies on the host: gathers, the O(N) CSR position lists
/// (exactly the kernels' counts and lists) and the backward sums, with out-of-range indices, for both worker counts.</summary>
public class NativeEmbeddingTests
{
    static readonly Index1D First = new(0);

    /// <summary>Indices in [−2, codes + 2): a few out of range on both sides.</summary>
    static int[] Indices(int seed, int n, int codes)
    {
        var rng = new Random(seed);
        return Enumerable.Range(0, n).Select(_ => rng.Next(-2, codes + 2)).ToArray();
    }

    [Theory]
    [InlineData(1, 1, 1, 1)]
    [InlineData(7, 3, 5, 1)]
    [InlineData(17, 20, 3, 7)]
    [InlineData(3, 64, 64, 67)]
    [InlineData(2, 512, 16, 1000)]
    public void EmbeddingKernelsAreBitIdentical(int batch, int codes, int dim, int hw)
    {
        int positions = batch * hw;
        var table = Random(codes, codes * dim);
        var idx = Indices(positions, positions, codes);
        var dy = Random(dim, positions * dim);
        var expected = Run(useNative: false, 1);
        foreach (int workers in new[] { 1, 2 })
        {
            var actual = Run(useNative: true, workers);
            for (int i = 0; i < expected.Floats.Length; i++) BitEqual(expected.Floats[i], actual.Floats[i]);
            for (int i = 0; i < expected.Ints.Length; i++) Assert.Equal(expected.Ints[i], actual.Ints[i]);
        }

        (float[][] Floats, int[][] Ints) Run(bool useNative, int workers) => WithWorkers(workers, () =>
        {
            using var scope = new TensorScope();
            var tTable = T(table);
            var tIdx = Ti(idx);
            var tDy = T(dy);
            var y = T(new float[positions * dim]);
            var yNchw = T(new float[positions * dim]);
            Pick(Embedding.GatherKernel, useNative)(First, positions * dim, 1, tTable.View, tIdx.IntView, y.View, codes, dim);
            Pick(Embedding.GatherNchwKernel, useNative)(First, positions * dim, 1, tTable.View, tIdx.IntView, yNchw.View, codes, dim, hw);
            var counts = Ti(new int[codes]);
            Pick(Embedding.CountKernel, useNative)(First, codes, 1, tIdx.IntView, counts.IntView, positions);
            var offsets = Ti(new int[codes + 1]);
            EmbeddingKernels.ExclusiveScan(First, 1, 1, counts.IntView, offsets.IntView, codes);
            var list = Ti(Enumerable.Repeat(-7, positions).ToArray());
            Pick(Embedding.FillKernel, useNative)(First, codes, 1, tIdx.IntView, offsets.IntView, list.IntView, positions);
            var dTable = T(new float[codes * dim]);
            var dTableNchw = T(new float[codes * dim]);
            Pick(Embedding.BackKernel, useNative)(First, codes * dim, 1, tDy.View, offsets.IntView, list.IntView, dTable.View, dim);
            Pick(Embedding.BackNchwKernel, useNative)(First, codes * dim, 1, tDy.View, offsets.IntView, list.IntView, dTableNchw.View, dim, hw);
            return (new[] { y.ToArray(), yNchw.ToArray(), dTable.ToArray(), dTableNchw.ToArray() },
                new[] { counts.ToIntArray(), offsets.ToIntArray(), list.ToIntArray() });
        });
    }
}
