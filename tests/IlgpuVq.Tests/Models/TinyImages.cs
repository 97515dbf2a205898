using IlgpuVq.Data;
using IlgpuVq.Models.Training;

namespace IlgpuVq.Tests.Models;

/// <summary>Small deterministic lesion-like test images (a dark disc on a skin-coloured background), NCHW in [−1, 1].</summary>
public static class TinyImages
{
    public static Batch Make(int count, int size, int seed)
    {
        var rng = new Random(seed);
        var images = new float[count * 3 * size * size];
        for (int n = 0; n < count; n++)
        {
            double cx = size * (0.35 + 0.3 * rng.NextDouble()), cy = size * (0.35 + 0.3 * rng.NextDouble());
            double r = size * (0.15 + 0.15 * rng.NextDouble());
            double[] skin = [0.8, 0.25 + 0.1 * rng.NextDouble(), 0.1], lesion = [-0.3, -0.6, -0.7 + 0.2 * rng.NextDouble()];
            for (int c = 0; c < 3; c++)
                for (int y = 0; y < size; y++)
                    for (int x = 0; x < size; x++)
                    {
                        double d = Math.Sqrt((x - cx) * (x - cx) + (y - cy) * (y - cy));
                        double t = Math.Clamp((r - d) / 1.5 + 0.5, 0, 1);
                        images[((n * 3 + c) * size + y) * size + x] = (float)(skin[c] * (1 - t) + lesion[c] * t);
                    }
        }
        return new Batch { Images = images, Labels = [.. Enumerable.Range(0, count).Select(i => i % 3)], Indices = [.. Enumerable.Range(0, count)], ImageSize = size };
    }
}
