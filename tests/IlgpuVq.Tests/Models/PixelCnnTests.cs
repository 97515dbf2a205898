using IlgpuVq.Engine.Autograd;
using IlgpuVq.Engine.Memory;
using IlgpuVq.Engine.Ops;
using IlgpuVq.Engine.Optim;
using IlgpuVq.Engine.Tensors;
using IlgpuVq.Models.Prior;
using IlgpuVq.Models.VqVae;

namespace IlgpuVq.Tests.Models;

public class PixelCnnTests
{
    static readonly PixelCnnConfig Small = new() { NumCodes = 8, Channels = 8, Layers = 2, HeadChannels = 16, NumClasses = 2 };

    [Fact]
    public void PriorOverfitsAHandfulOfCodeMaps()
    {
        var device = TestDevices.Get("cpu");
        var rng = new Random(3);
        var codes = Enumerable.Range(0, 4 * 4 * 4).Select(_ => rng.Next(8)).ToArray();
        using var prior = new GatedPixelCnn(device, Small, 1);
        using var optimizer = new AdamW(prior.Parameters(), 1e-2f, weightDecay: 0);
        float first = 0, last = 0;
        for (int step = 0; step < 150; step++)
        {
            using var scope = new TensorScope();
            var x = Tensor.FromIntArray(device, codes, 4, 4, 4);
            var labels = Tensor.FromIntArray(device, [0, 1, 0, 1], 4);
            var loss = CrossEntropy.Mean(prior.Forward(x, labels), x);
            loss.Backward();
            optimizer.Step();
            optimizer.ZeroGrad();
            last = loss.Item();
            if (step == 0) first = last;
        }
        Assert.InRange(first, 0.8 * Math.Log(8), 1.3 * Math.Log(8));
        Assert.True(last < 0.3 * Math.Log(8), $"NLL {last} nats per code is not well below ln K = {Math.Log(8):0.00}");
    }

    static PixelCnnVqVae Sampler(ulong seed)
    {
        var device = TestDevices.Get("cpu");
        var vq = new VqVaeModel(device, VqVaeTrainingTests.Tiny, seed);
        var prior = new GatedPixelCnn(device, Small, seed);
        return new PixelCnnVqVae(vq, prior, ["a", "b"], 4, 4);
    }

    [Fact]
    public void SamplingIsDeterministicForASeed()
    {
        using var model = Sampler(2);
        var (imagesA, codesA) = model.Sample(3, [0, 1, 1], 1f, seed: 9);
        var (imagesB, codesB) = model.Sample(3, [0, 1, 1], 1f, seed: 9);
        var (_, codesC) = model.Sample(3, [0, 1, 1], 1f, seed: 10);
        Assert.Equal(codesA, codesB);
        Assert.Equal(imagesA, imagesB);
        Assert.NotEqual(codesA, codesC);
        Assert.Equal(3 * 3 * 16 * 16, imagesA.Length);
        Assert.All(codesA, c => Assert.InRange(c, 0, 7));
    }

    [Fact]
    public void LowTemperatureApproachesArgmaxDecoding()
    {
        using var model = Sampler(4);
        var (_, sampled) = model.Sample(2, [1, 0], 1e-4f, seed: 1);
        // Greedy decoding on the host: position by position, the most likely code given the codes so far.
        var device = model.VqVae.Device;
        var codes = new int[2 * 16];
        using (GradMode.NoGrad())
            for (int p = 0; p < 16; p++)
            {
                using var scope = new TensorScope();
                var logits = model.Prior.Forward(Tensor.FromIntArray(device, codes, 2, 4, 4), Tensor.FromIntArray(device, [1, 0], 2)).ToArray();
                for (int b = 0; b < 2; b++)
                {
                    int best = 0;
                    for (int k = 1; k < 8; k++)
                        if (logits[(b * 8 + k) * 16 + p] > logits[(b * 8 + best) * 16 + p]) best = k;
                    codes[b * 16 + p] = best;
                }
            }
        Assert.Equal(codes, sampled);
    }

    [Fact]
    public void BadSamplingArgumentsAreRejected()
    {
        using var model = Sampler(1);
        Assert.Contains("temperature", Assert.Throws<ArgumentException>(() => model.Sample(1, [0], 0f, 1)).Message);
        Assert.Contains("count", Assert.Throws<ArgumentException>(() => model.Sample(0, [], 1f, 1)).Message);
        Assert.Contains("classes: a, b", Assert.Throws<ArgumentException>(() => model.ClassIndex("mel")).Message);
    }
}
