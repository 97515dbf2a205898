using ILGPU;
using IlgpuVq.Engine.Memory;
using IlgpuVq.Engine.Ops;
using static IlgpuVq.Tests.Native.NativeTestKit;

namespace IlgpuVq.Tests.Native;

/// <summary>The native k-means++ distance update against its kernel body on the host: bit-identical distances and chunk
/// sums for the flat and NCHW layouts, runs of positions shorter and longer than a vector, chunks that cross images, the
/// first and a later code, and 1 or 2 workers.</summary>
public class NativeKMeansTests
{
    static readonly Index1D First = new(0);

    [Theory]
    [InlineData(37, 3, 1, 5)]     // flat [N,D]: no two rows contiguous
    [InlineData(2, 5, 49, 17)]    // 7x7 images, chunks of 17 rows crossing images, vector body and tails
    [InlineData(3, 512, 16, 32)]  // the isic preset's D at a 4x4 grid
    [InlineData(1, 2, 1000, 1)]   // one row per chunk
    public void DistancesAndChunkSumsAreBitIdentical(int batch, int dim, int hw, int chunk)
    {
        int rows = batch * hw, chunks = (rows + chunk - 1) / chunk, codes = 3;
        var z = Random(1, rows * dim);
        var codebook = Random(2, codes * dim);
        var start = Random(3, rows, 0f, 50f);
        foreach (var (center, first) in new[] { (0, 1), (2, 0) })
        {
            (float[] Min, float[] Partials) Run(bool native)
            {
                var k = Pick(CodebookInit.UpdateKernel, native);
                using var scope = new TensorScope();
                var (tz, tc, tm, tp) = (T(z), T(codebook), T(start), T(new float[chunks]));
                k(First, chunks, 1, tz.View, tc.View, tm.View, tp.View, rows, dim, hw, chunk, center, first);
                return (tm.ToArray(), tp.ToArray());
            }
            var expected = Run(native: false);
            foreach (int workers in new[] { 1, 2 })
            {
                var actual = WithWorkers(workers, () => Run(native: true));
                BitEqual(expected.Min, actual.Min);
                BitEqual(expected.Partials, actual.Partials);
            }
        }
    }
}
