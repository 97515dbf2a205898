using IlgpuVq.Engine.Devices;
using IlgpuVq.Engine.Memory;
using IlgpuVq.Engine.Native;
using IlgpuVq.Engine.Optim;
using IlgpuVq.Engine.Tensors;
using IlgpuVq.Models.VqVae;

namespace IlgpuVq.Tests.Backends;

/// <summary>
/// The native backend gives the same bits for the same seed run to run and for any number of worker threads (work is
/// split into blocks fixed by the problem, never by the thread count, and every sum has a fixed order).
/// </summary>
public class NativeDeterminismTests
{
    /// <summary>Loss of each of three VQ-VAE training steps and the final weights, on <c>cpu</c> with <paramref name="workers"/> threads.</summary>
    static (float[] Losses, float[] Weights) Train(int workers)
    {
        int saved = NativeParallel.Workers;
        NativeParallel.Workers = workers;
        try
        {
            var device = DeviceCatalog.Open("cpu");
            var config = new VqVaeConfig { Hidden = 32, ResidualHidden = 16, ResidualBlocks = 1, EmbeddingDim = 16, NumCodes = 32, Ema = true }; // a small VQ-VAE (the old demo preset)
            using var model = new VqVaeModel(device, config, 7);
            using var optimizer = new AdamW(model.Parameters(), lr: 1e-3f);
            var rng = new Random(3);
            var images = Enumerable.Range(0, 4 * 3 * 16 * 16).Select(_ => (float)(rng.NextDouble() * 2 - 1)).ToArray();
            var losses = new List<float>();
            for (int step = 0; step < 3; step++)
            {
                using var scope = new TensorScope();
                var x = Tensor.FromArray(device, images, 4, 3, 16, 16);
                var loss = model.Forward(x).Loss;
                losses.Add(loss.ToArray()[0]);
                loss.Backward();
                optimizer.Step();
                optimizer.ZeroGrad();
            }
            return (losses.ToArray(), model.Parameters().SelectMany(p => p.ToArray()).ToArray());
        }
        finally { NativeParallel.Workers = saved; }
    }

    [Fact]
    public void SameBitsRunToRunAndForOneOrManyThreads()
    {
        var a = Train(2);
        var b = Train(2);
        var c = Train(1);
        var d = Train(3);
        Assert.Equal(a.Losses, b.Losses);
        Assert.Equal(a.Weights, b.Weights);
        Assert.Equal(a.Losses, c.Losses);
        Assert.Equal(a.Weights, c.Weights);
        Assert.Equal(a.Losses, d.Losses);
        Assert.Equal(a.Weights, d.Weights);
        Assert.True(a.Losses[2] != a.Losses[0], "training changed nothing");
    }
}
