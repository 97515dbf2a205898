using ILGPU;
using IlgpuVq.Engine.Memory;
using IlgpuVq.Engine.Ops;
using static IlgpuVq.Tests.Native.NativeTestKit;

namespace IlgpuVq.Tests.Native;

/// <summary>The native EMA accumulation of the codebook update against its kernel body on the host: bit-identical EMA sums
/// and counts for the flat [N, D] and the NCHW layouts, D not a multiple of the vector width, codes with no rows and codes
/// with most of them (rows listed out of order), more codes than a parallel block, and 1 or 2 workers.</summary>
public class NativeCodebookMaintenanceTests
{
    [Theory]
    [InlineData(1, 5, 37, 3)]    // flat: hw = 1
    [InlineData(1, 33, 200, 40)] // flat, D past two vectors, 40 codes (three blocks)
    [InlineData(2, 7, 49, 20)]   // NCHW: 7x7 maps
    [InlineData(3, 64, 16, 9)]   // NCHW: the ref model's D
    public void EmaSumsAndCountsAreBitIdentical(int batch, int dim, int hw, int codes)
    {
        int rows = batch * hw;
        var z = Random(1, rows * dim);
        var rng = new Random(2);
        // Code 0 takes about half the rows, the last code none, the rest at random.
        var code = Enumerable.Range(0, rows).Select(_ => rng.Next(2) == 0 ? 0 : rng.Next(Math.Max(1, codes - 1))).ToArray();
        var offsets = new int[codes + 1];
        foreach (int c in code) offsets[c + 1]++;
        for (int k = 0; k < codes; k++) offsets[k + 1] += offsets[k];
        var list = new int[rows];
        var cursor = (int[])offsets.Clone();
        foreach (int row in Enumerable.Range(0, rows).OrderBy(_ => rng.Next())) list[cursor[code[row]]++] = row;
        var counts = Random(3, codes, 0f, 20f);
        var sums = Random(4, codes * dim);
        (float[] Counts, float[] Sums) Run(bool native)
        {
            var k = Pick(CodebookMaintenance.AccumulateKernel, native);
            using var scope = new TensorScope();
            var (tc, ts) = (T(counts), T(sums));
            k(new Index1D(0), codes * dim, 1, T(z).View, Ti(offsets).IntView, Ti(list).IntView, tc.View, ts.View, dim, hw, 0.99f);
            return (tc.ToArray(), ts.ToArray());
        }
        var expected = Run(native: false);
        Assert.Equal(0, offsets[codes] - offsets[codes - 1]);
        foreach (int workers in new[] { 1, 2 })
        {
            var actual = WithWorkers(workers, () => Run(native: true));
            BitEqual(expected.Counts, actual.Counts);
            BitEqual(expected.Sums, actual.Sums);
        }
    }
}
