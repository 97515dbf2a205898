using ILGPU;
using IlgpuVq.Engine.Memory;
using IlgpuVq.Engine.Ops;
using static IlgpuVq.Tests.Native.NativeTestKit;

namespace IlgpuVq.Tests.Native;

/// <summary>The native cross-entropy and channel-copy kernels against their kernel bodies on the host: bit-identical
/// NLL, log-sum-exp, partial sums and softmax gradients (ignored targets included) and channel copies, both worker counts.</summary>
public class NativeCrossEntropyTests
{
    static readonly Index1D First = new(0);

    [Theory]
    [InlineData(1, 1, 1)]
    [InlineData(3, 7, 1)]
    [InlineData(2, 17, 33)]
    [InlineData(4, 256, 67)]
    public void CrossEntropyKernelsAreBitIdentical(int batch, int classes, int hw)
    {
        int positions = batch * hw, n = positions * classes;
        var logits = Random(n, n, -30f, 30f);
        var rng = new Random(classes);
        var targets = Enumerable.Range(0, positions).Select(_ => rng.Next(-1, classes + 1)).ToArray();
        var dy = Random(hw, positions);
        var expected = Run(false, 1);
        foreach (int workers in new[] { 1, 2 })
        {
            var actual = Run(true, workers);
            for (int i = 0; i < expected.Length; i++) BitEqual(expected[i], actual[i]);
        }

        float[][] Run(bool useNative, int workers) => WithWorkers(workers, () =>
        {
            using var scope = new TensorScope();
            var (x, t, g) = (T(logits), Ti(targets), T(dy));
            var (nll, lse) = (T(new float[positions]), T(new float[positions]));
            Pick(CrossEntropy.NllKernel, useNative)(First, positions, 1, x.View, t.IntView, nll.View, lse.View, classes, hw);
            int chunk = Math.Max(1, (positions + 63) / 64), chunks = (positions + chunk - 1) / chunk;
            var partials = T(new float[chunks]);
            Pick(CrossEntropy.PartialKernel, useNative)(First, chunks, 1, nll.View, partials.View, positions, chunk);
            var dxMean = T(new float[n]);
            var dxEach = T(new float[n]);
            var backward = Pick(CrossEntropy.BackKernel, useNative);
            backward(First, n, 1, x.View, t.IntView, lse.View, g.View, dxMean.View, classes, hw, 1f / positions, 0);
            backward(First, n, 1, x.View, t.IntView, lse.View, g.View, dxEach.View, classes, hw, 0.5f, 1);
            return new[] { nll.ToArray(), lse.ToArray(), partials.ToArray(), dxMean.ToArray(), dxEach.ToArray() };
        });
    }

    [Theory]
    [InlineData(1, 1, 1, 0, 1, 0, 1)]
    [InlineData(3, 5, 7, 1, 3, 2, 17)]
    [InlineData(2, 4, 6, 2, 9, 4, 1000)]
    public void CopyChannelsIsBitIdentical(int batch, int srcC, int dstC, int srcOffset, int count, int dstOffset, int inner)
    {
        count = Math.Min(count, Math.Min(srcC - srcOffset, dstC - dstOffset));
        var src = Random(inner, batch * srcC * inner);
        int total = batch * count * inner;
        var expected = Run(native: false, 1);
        foreach (int workers in new[] { 1, 2 })
            BitEqual(expected, Run(native: true, workers));

        float[] Run(bool native, int workers) => WithWorkers(workers, () =>
        {
            var copy = Pick(Channels.CopyKernel, native);
            using var scope = new TensorScope();
            var (s, d) = (T(src), T(Random(7, batch * dstC * inner)));
            copy(First, total, 1, s.View, srcC, srcOffset, d.View, dstC, dstOffset, count, inner);
            return d.ToArray();
        });
    }
}
