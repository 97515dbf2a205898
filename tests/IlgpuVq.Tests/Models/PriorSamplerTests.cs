using IlgpuVq.Engine.Autograd;
using IlgpuVq.Engine.Devices;
using IlgpuVq.Engine.Memory;
using IlgpuVq.Engine.Native;
using IlgpuVq.Engine.Tensors;
using IlgpuVq.Models.Prior;

namespace IlgpuVq.Tests.Models;

/// <summary>
/// The cached sampler against the naive one (the reference): the same code maps for the same seed, and at every position the
/// logits the cached sampler draws from equal the naive forward's logits at that position (the forward of the final code map:
/// causality makes position p's logits depend only on the codes before p), on every test device, conditional and
/// unconditional, kernel sizes 3 and 5 with 3×3, 5×5 and 7×7 first layers, odd grids, one layer and several, and with
/// classifier-free guidance (scales 0, 2.5 and 3 on priors with a null class; there the logits are the guided mix of the naive
/// forwards under the samples' classes and under the null class).
/// </summary>
public class PriorSamplerTests
{
    /// <summary>Relative tolerance of the cached logits against the naive forward's, relative to the largest logit of the position.</summary>
    const double LogitTolerance = 1e-5;

    public static IEnumerable<object[]> Cases() =>
        from device in TestDevices.Names
        from c in new (int Classes, int First, int Kernel, int Layers, int H, int W, int Channels, float Guidance)[]
        {
            (3, 7, 3, 2, 5, 7, 5, 1), (0, 7, 3, 2, 5, 7, 4, 1), (2, 5, 5, 1, 6, 4, 3, 1), (0, 3, 3, 0, 3, 5, 6, 1), (4, 7, 5, 3, 4, 4, 4, 1), (0, 3, 5, 1, 1, 6, 2, 1),
            (3, 7, 3, 2, 5, 7, 5, 2.5f), (2, 5, 5, 1, 6, 4, 3, 0), (4, 3, 3, 0, 3, 5, 6, 3),
        }
        select new object[] { device, c.Classes, c.First, c.Kernel, c.Layers, c.H, c.W, c.Channels, c.Guidance };

    /// <summary>A prior with seeded weights and, when conditional, non-zero class biases (they start at 0).</summary>
    static GatedPixelCnn Prior(ComputeDevice device, PixelCnnConfig config, int seed)
    {
        var prior = new GatedPixelCnn(device, config, (ulong)seed);
        var rng = new Random(seed);
        foreach (var (name, t) in prior.NamedParameters().Where(p => p.Name.Contains("class_bias")))
            t.CopyFrom(Enumerable.Range(0, t.Length).Select(_ => (float)(rng.NextDouble() * 2 - 1)).ToArray());
        return prior;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void CachedSamplerDrawsTheNaiveCodesFromTheNaiveLogits(string deviceName, int numClasses, int firstKernel, int kernel, int layers,
        int height, int width, int channels, float guidance)
    {
        var device = TestDevices.Get(deviceName);
        bool guided = PriorSampling.Guided(guidance);
        var config = new PixelCnnConfig
        {
            NumCodes = 9, Channels = channels, Layers = layers, FirstKernel = firstKernel, Kernel = kernel, HeadChannels = 6, NumClasses = numClasses,
            LabelDropout = guided ? 0.2 : 0,
        };
        using var prior = Prior(device, config, 5 + layers);
        int count = 3;
        int[] classes = numClasses > 0 ? [0, numClasses - 1, 1 % numClasses] : [];
        using var scope = new TensorScope();
        var naive = PriorSampling.SampleCodes(prior, count, classes, height, width, 1f, seed: 21, PriorSampler.Naive, guidance: guidance).ToIntArray();
        var cached = PriorSampling.SampleCodes(prior, count, classes, height, width, 1f, seed: 21, PriorSampler.Cached, guidance: guidance).ToIntArray();
        Assert.Equal(naive, cached);
        Assert.True(naive.Distinct().Count() > 1, "the draw should not be constant");

        // The logits of every position as the cached sampler sees them, against the naive forward of the final map (guided: the
        // mix of the forwards under the classes and under the null class, in double).
        var seen = new float[count, config.NumCodes, height, width];
        using (GradMode.NoGrad())
        {
            var codes = Tensor.ZerosInt(device, count, height, width);
            var nulls = Enumerable.Repeat(config.NullClass, count).ToArray();
            var labels = numClasses == 0 ? null : Tensor.FromIntArray(device, guided ? [.. classes, .. nulls] : classes, (guided ? 2 : 1) * count);
            CachedSampler.Run(prior, labels, codes, 1f, guidance, 21, 0, null, (r, c, logits) =>
            {
                var host = logits.ToArray();
                for (int b = 0; b < count; b++)
                    for (int k = 0; k < config.NumCodes; k++) seen[b, k, r, c] = host[b * config.NumCodes + k];
            });
            Assert.Equal(naive, codes.ToIntArray());
            var conditional = prior.Forward(codes, numClasses == 0 ? null : Tensor.FromIntArray(device, classes, count)).ToArray();
            var unconditional = guided ? prior.Forward(codes, Tensor.FromIntArray(device, nulls, count)).ToArray() : conditional;
            if (guided) Assert.True(conditional.Zip(unconditional).Max(p => Math.Abs(p.First - p.Second)) > 1e-2, "the null class should change the logits");
            double worst = 0, amplification = Math.Abs(guidance) + Math.Abs(1 - guidance);
            for (int b = 0; b < count; b++)
                for (int p = 0; p < height * width; p++)
                {
                    int r = p / width, c = p % width;
                    int At(int k) => (b * config.NumCodes + k) * height * width + p;
                    double scale = 0;
                    for (int k = 0; k < config.NumCodes; k++) scale = Math.Max(scale, Math.Max(Math.Abs(conditional[At(k)]), Math.Abs(unconditional[At(k)])));
                    for (int k = 0; k < config.NumCodes; k++)
                    {
                        double e = unconditional[At(k)] + guidance * ((double)conditional[At(k)] - unconditional[At(k)]);
                        worst = Math.Max(worst, Math.Abs(seen[b, k, r, c] - e) / (amplification * scale));
                    }
                }
            Assert.True(worst <= LogitTolerance, $"cached logits differ from the naive forward's by {worst:g3} of the position's largest logit");
        }
    }

    /// <summary>Guidance 1 on a prior with a null class is plain conditional sampling, bit for bit; other scales need the null
    /// class, and a negative or non-finite scale is refused.</summary>
    [Fact]
    public void GuidanceOneIsPlainSamplingAndOtherScalesNeedTheNullClass()
    {
        var device = TestDevices.Get("cpu");
        var config = new PixelCnnConfig { NumCodes = 6, Channels = 4, Layers = 1, HeadChannels = 5, NumClasses = 2 };
        using var scope = new TensorScope();
        using var plain = Prior(device, config, 3);
        var e = Assert.Throws<ArgumentException>(() => PriorSampling.SampleCodes(plain, 2, [1, 0], 3, 3, 1f, seed: 1, guidance: 2f));
        Assert.Contains("label dropout", e.Message);
        using var withNull = Prior(device, config with { LabelDropout = 0.1 }, 3);
        Assert.Equal([3, 8], withNull.NamedParameters().Single(p => p.Name == "layers.0.class_bias_v").Tensor.Shape);
        foreach (var bad in new[] { -0.5f, float.NaN, float.PositiveInfinity })
            Assert.Contains("guidance must be ≥ 0", Assert.Throws<ArgumentException>(() => PriorSampling.SampleCodes(withNull, 2, [1, 0], 3, 3, 1f, seed: 1, guidance: bad)).Message);
        // The same weights but for the null row, so plain sampling of the two priors must agree exactly.
        foreach (var (name, t) in plain.NamedParameters())
        {
            var other = withNull.NamedParameters().Single(p => p.Name == name).Tensor;
            other.CopyFrom([.. t.ToArray(), .. other.ToArray()[t.Length..]]);
        }
        Assert.Equal(PriorSampling.SampleCodes(plain, 2, [1, 0], 3, 3, 1f, seed: 4).ToIntArray(),
            PriorSampling.SampleCodes(withNull, 2, [1, 0], 3, 3, 1f, seed: 4, guidance: 1f).ToIntArray());
    }

    [Theory]
    [MemberData(nameof(TestDevices.All), MemberType = typeof(TestDevices))]
    public void CachedSamplerFollowsTheTemperatureToArgmaxDecoding(string deviceName)
    {
        var device = TestDevices.Get(deviceName);
        var config = new PixelCnnConfig { NumCodes = 6, Channels = 4, Layers = 1, HeadChannels = 5, NumClasses = 2 };
        using var prior = Prior(device, config, 3);
        using var scope = new TensorScope();
        var greedy = PriorSampling.SampleCodes(prior, 2, [1, 0], 4, 3, 1e-6f, seed: 1).ToIntArray();
        var other = PriorSampling.SampleCodes(prior, 2, [1, 0], 4, 3, 1e-6f, seed: 2).ToIntArray();
        Assert.Equal(greedy, other);
        using (GradMode.NoGrad())
        {
            var codes = Tensor.FromIntArray(device, greedy, 2, 4, 3);
            var argmax = Engine.Ops.Rng.Argmax(prior.Forward(codes, Tensor.FromIntArray(device, [1, 0], 2))).ToIntArray();
            Assert.Equal(greedy, argmax);
        }
    }

    /// <summary>The native step kernels give the same bits for any worker count (the demo-sized layers take the parallel paths).</summary>
    [Fact]
    public void CachedSamplerOnCpuGivesTheSameLogitsForOneAndTwoWorkers()
    {
        var device = TestDevices.Get("cpu");
        var config = new PixelCnnConfig { NumCodes = 40, Channels = 32, Layers = 2, HeadChannels = 24, NumClasses = 3 };
        using var prior = Prior(device, config, 8);
        float[] Logits(int workers)
        {
            int saved = NativeParallel.Workers;
            NativeParallel.Workers = workers;
            try
            {
                using var scope = new TensorScope();
                using var noGrad = GradMode.NoGrad();
                var all = new List<float>();
                var codes = Tensor.ZerosInt(device, 64, 3, 9);
                CachedSampler.Run(prior, Tensor.FromIntArray(device, Enumerable.Range(0, 64).Select(i => i % 3).ToArray(), 64), codes, 1f, 1f, 4, 0, null,
                    (_, _, logits) => all.AddRange(logits.ToArray()));
                return all.ToArray();
            }
            finally { NativeParallel.Workers = saved; }
        }
        Assert.Equal(Logits(1), Logits(2));
    }
}
