namespace IlgpuVq.Data;

/// <summary>
/// Turns RGB bytes into a normalised CHW float image, optionally augmented. Normalisation uses mean 0.5 and std 0.5
/// per channel, mapping [0, 255] to [−1, 1]. The augmentation of image i in epoch e is a pure function of
/// (seed, e, i), so it does not depend on which thread prepares the image or when.
/// </summary>
public static class Augmentation
{
    /// <summary>Per-channel mean of the normalisation (in [0, 1] units).</summary>
    public const float Mean = 0.5f;

    /// <summary>Per-channel standard deviation of the normalisation.</summary>
    public const float Std = 0.5f;

    /// <summary>Draws the augmentation of image <paramref name="index"/> in <paramref name="epoch"/>.</summary>
    public static AugmentParams Draw(AugmentOptions o, int seed, int epoch, int index)
    {
        var rng = new CounterRng(RngStreams.Augment, seed, epoch, index);
        var flipH = rng.Chance(0.5);
        var flipV = rng.Chance(0.5);
        float Factor(ref CounterRng r, float x) => r.Uniform(Math.Max(0, 1 - x), 1 + x);
        var b = Factor(ref rng, o.Brightness);
        var c = Factor(ref rng, o.Contrast);
        var s = Factor(ref rng, o.Saturation);
        var h = rng.Uniform(-o.Hue, o.Hue);
        return new AugmentParams(o.HorizontalFlip && flipH, o.VerticalFlip && flipV,
            o.Brightness > 0 ? b : 1, o.Contrast > 0 ? c : 1, o.Saturation > 0 ? s : 1, o.Hue > 0 ? h : 0);
    }

    /// <summary>Normalises without augmentation (evaluation).</summary>
    public static void Normalize(ReadOnlySpan<byte> rgbHWC, int size, Span<float> chw) =>
        Apply(rgbHWC, size, AugmentParams.Identity, chw);

    /// <summary>
    /// Applies brightness, contrast (towards the image's mean grey), saturation (towards each pixel's grey) and a hue
    /// rotation (in YIQ space), each clamped to [0, 1], then the flips, then normalises into <paramref name="chw"/>.
    /// </summary>
    public static void Apply(ReadOnlySpan<byte> rgbHWC, int size, in AugmentParams p, Span<float> chw)
    {
        var plane = size * size;
        if (rgbHWC.Length < plane * 3 || chw.Length < plane * 3) throw new ArgumentException("buffer too small");
        const float inv255 = 1f / 255f;
        var identityColor = p.Brightness == 1 && p.Contrast == 1 && p.Saturation == 1 && p.Hue == 0;

        // Contrast blends towards the mean grey of the brightness-adjusted image.
        var meanGrey = 0f;
        if (p.Contrast != 1)
        {
            double sum = 0;
            for (var k = 0; k < plane; k++)
                sum += Math.Min(1f, p.Brightness * Grey(rgbHWC[3 * k], rgbHWC[3 * k + 1], rgbHWC[3 * k + 2]) * inv255);
            meanGrey = (float)(sum / plane);
        }
        var hue = HueMatrix(p.Hue);
        for (var y = 0; y < size; y++)
        for (var x = 0; x < size; x++)
        {
            var k = (y * size + x) * 3;
            float r = rgbHWC[k] * inv255, g = rgbHWC[k + 1] * inv255, b = rgbHWC[k + 2] * inv255;
            if (!identityColor)
            {
                r = Clamp01(r * p.Brightness); g = Clamp01(g * p.Brightness); b = Clamp01(b * p.Brightness);
                if (p.Contrast != 1)
                {
                    r = Clamp01((r - meanGrey) * p.Contrast + meanGrey);
                    g = Clamp01((g - meanGrey) * p.Contrast + meanGrey);
                    b = Clamp01((b - meanGrey) * p.Contrast + meanGrey);
                }
                if (p.Saturation != 1)
                {
                    var grey = Grey(r, g, b);
                    r = Clamp01((r - grey) * p.Saturation + grey);
                    g = Clamp01((g - grey) * p.Saturation + grey);
                    b = Clamp01((b - grey) * p.Saturation + grey);
                }
                if (p.Hue != 0)
                {
                    float r2 = hue[0] * r + hue[1] * g + hue[2] * b;
                    float g2 = hue[3] * r + hue[4] * g + hue[5] * b;
                    float b2 = hue[6] * r + hue[7] * g + hue[8] * b;
                    r = Clamp01(r2); g = Clamp01(g2); b = Clamp01(b2);
                }
            }
            var ox = p.FlipH ? size - 1 - x : x;
            var oy = p.FlipV ? size - 1 - y : y;
            var o = oy * size + ox;
            chw[o] = (r - Mean) / Std;
            chw[plane + o] = (g - Mean) / Std;
            chw[2 * plane + o] = (b - Mean) / Std;
        }
    }

    /// <summary>Converts a normalised CHW image in [−1, 1] back to RGB bytes (HWC), clamping.</summary>
    public static void ToBytes(ReadOnlySpan<float> chw, int size, Span<byte> rgbHWC)
    {
        var plane = size * size;
        for (var k = 0; k < plane; k++)
        for (var c = 0; c < 3; c++)
            rgbHWC[k * 3 + c] = (byte)Math.Clamp((int)MathF.Round((chw[c * plane + k] * Std + Mean) * 255f), 0, 255);
    }

    static float Grey(float r, float g, float b) => 0.299f * r + 0.587f * g + 0.114f * b;
    static float Clamp01(float v) => v < 0 ? 0 : v > 1 ? 1 : v;

    /// <summary>RGB → YIQ, rotate the chroma plane by hue·2π, YIQ → RGB, as one 3×3 matrix (row-major).</summary>
    static float[] HueMatrix(float hue)
    {
        double a = hue * 2 * Math.PI, cos = Math.Cos(a), sin = Math.Sin(a);
        double[,] toYiq = { { 0.299, 0.587, 0.114 }, { 0.596, -0.274, -0.322 }, { 0.211, -0.523, 0.312 } };
        double[,] toRgb = { { 1, 0.956, 0.621 }, { 1, -0.272, -0.647 }, { 1, -1.106, 1.703 } };
        double[,] rot = { { 1, 0, 0 }, { 0, cos, -sin }, { 0, sin, cos } };
        var m = new float[9];
        for (var i = 0; i < 3; i++)
        for (var j = 0; j < 3; j++)
        {
            double v = 0;
            for (var k = 0; k < 3; k++)
            for (var l = 0; l < 3; l++) v += toRgb[i, k] * rot[k, l] * toYiq[l, j];
            m[i * 3 + j] = (float)v;
        }
        return m;
    }
}
