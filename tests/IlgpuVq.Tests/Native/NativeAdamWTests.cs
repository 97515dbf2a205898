using ILGPU;
using IlgpuVq.Engine.Memory;
using IlgpuVq.Engine.Optim;
using IlgpuVq.Kernels;
using static IlgpuVq.Tests.Native.NativeTestKit;

namespace IlgpuVq.Tests.Native;

/// <summary>The native AdamW step against the kernel body: parameters and both moments bit-identical after three steps.</summary>
public class NativeAdamWTests
{
    [Theory, MemberData(nameof(NativeElementwiseTests.SizeData), MemberType = typeof(NativeElementwiseTests))]
    public void StepIsBitIdentical(int n)
    {
        var p0 = Random(n, n);
        var m0 = Random(n + 1, n, -0.1f, 0.1f);
        var v0 = Random(n + 2, n, 0f, 0.01f);
        var expected = Run(native: false, 1);
        foreach (int workers in new[] { 1, 2 })
        {
            var actual = Run(native: true, workers);
            for (int i = 0; i < 3; i++) BitEqual(expected[i], actual[i]);
        }

        float[][] Run(bool native, int workers) => WithWorkers(workers, () =>
        {
            var step = Pick(AdamW.StepKernel, native);
            using var scope = new TensorScope();
            var (p, m, v) = (T(p0), T(m0), T(v0));
            for (int t = 1; t <= 3; t++)
            {
                var g = T(Random(10 * t + n, n));
                var k = new AdamWStepConstants
                {
                    Decay = 1f - 1e-3f * 0.01f, Beta1 = 0.9f, Beta2 = 0.999f, Eps = 1e-8f,
                    StepSize = (float)(1e-3 / (1 - Math.Pow(0.9, t))), InvBias2Sqrt = (float)(1 / Math.Sqrt(1 - Math.Pow(0.999, t))),
                };
                step(new Index1D(0), n, 1, p.View, g.View, m.View, v.View, k);
            }
            return new[] { p.ToArray(), m.ToArray(), v.ToArray() };
        });
    }
}
