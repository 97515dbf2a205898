using IlgpuVq.Models.Evaluation;

namespace IlgpuVq.Tests.Models;

public class ImageMetricsTests
{
    static float[] Image(int seed, int n)
    {
        var rng = new Random(seed);
        return Enumerable.Range(0, n).Select(_ => (float)(rng.NextDouble() * 2 - 1)).ToArray();
    }

    [Fact]
    public void IdenticalImagesHavePerfectScores()
    {
        var a = Image(1, 3 * 16 * 16);
        Assert.Equal(0, ImageMetrics.Mse(a, a));
        Assert.Equal(100, ImageMetrics.Psnr(ImageMetrics.Mse(a, a)));
        Assert.Equal(1.0, ImageMetrics.Ssim(a, a, 3, 16, 16), 9);
    }

    [Fact]
    public void ErrorsLowerPsnrAndSsim()
    {
        var a = Image(1, 3 * 16 * 16);
        var small = a.Select((v, i) => v + (i % 2 == 0 ? 0.02f : -0.02f)).ToArray();
        var large = a.Select((v, i) => v + (i % 2 == 0 ? 0.4f : -0.4f)).ToArray();
        // A uniform ±0.02 error in [-1,1] is ±0.01 in [0,1]: MSE 1e-4, PSNR 40 dB.
        Assert.Equal(1e-4, ImageMetrics.Mse(a, small), 8); // float32 inputs: ~1e-7 relative
        Assert.Equal(40, ImageMetrics.Psnr(ImageMetrics.Mse(a, small)), 4);
        Assert.True(ImageMetrics.Psnr(ImageMetrics.Mse(a, large)) < 20);
        var ssimSmall = ImageMetrics.Ssim(a, small, 3, 16, 16);
        var ssimLarge = ImageMetrics.Ssim(a, large, 3, 16, 16);
        Assert.InRange(ssimSmall, 0.9, 1.0);
        Assert.True(ssimLarge < ssimSmall - 0.1, $"{ssimLarge} vs {ssimSmall}");
    }
}
