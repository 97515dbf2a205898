namespace IlgpuVq.Models.Evaluation;

/// <summary>
/// Reconstruction quality on host images in [−1, 1] (mapped to [0, 1] first), NCHW with 3 channels:
/// mean squared error, PSNR in dB (capped at 100 for identical images) and SSIM (Wang et al. 2004: 11×11
/// Gaussian window, σ = 1.5, K1 = 0.01, K2 = 0.03, per channel, averaged; windows that do not fit are
/// skipped, so images smaller than 11 px use a window of their size).
/// </summary>
public static class ImageMetrics
{
    public static double Mse(ReadOnlySpan<float> a, ReadOnlySpan<float> b)
    {
        double s = 0;
        for (int i = 0; i < a.Length; i++)
        {
            double d = (a[i] - b[i]) * 0.5; // difference in [0, 1] units
            s += d * d;
        }
        return s / a.Length;
    }

    public static double Psnr(double mse) => mse <= 1e-10 ? 100 : 10 * Math.Log10(1.0 / mse);

    /// <summary>Mean SSIM over the channels of one image [C,H,W] pair.</summary>
    public static double Ssim(ReadOnlySpan<float> a, ReadOnlySpan<float> b, int channels, int height, int width)
    {
        int size = Math.Min(11, Math.Min(height, width));
        var window = Gaussian(size, 1.5);
        const double c1 = 0.01 * 0.01, c2 = 0.03 * 0.03;
        double total = 0;
        int plane = height * width;
        for (int c = 0; c < channels; c++)
        {
            double sum = 0;
            int count = 0;
            for (int y0 = 0; y0 + size <= height; y0++)
                for (int x0 = 0; x0 + size <= width; x0++)
                {
                    double ma = 0, mb = 0, saa = 0, sbb = 0, sab = 0;
                    for (int dy = 0; dy < size; dy++)
                        for (int dx = 0; dx < size; dx++)
                        {
                            int i = c * plane + (y0 + dy) * width + x0 + dx;
                            double w = window[dy * size + dx];
                            double va = (a[i] + 1) * 0.5, vb = (b[i] + 1) * 0.5;
                            ma += w * va; mb += w * vb;
                            saa += w * va * va; sbb += w * vb * vb; sab += w * va * vb;
                        }
                    double varA = saa - ma * ma, varB = sbb - mb * mb, cov = sab - ma * mb;
                    sum += (2 * ma * mb + c1) * (2 * cov + c2) / ((ma * ma + mb * mb + c1) * (varA + varB + c2));
                    count++;
                }
            total += sum / count;
        }
        return total / channels;
    }

    static double[] Gaussian(int size, double sigma)
    {
        var w = new double[size * size];
        double c = (size - 1) / 2.0, s = 0;
        for (int y = 0; y < size; y++)
            for (int x = 0; x < size; x++)
                s += w[y * size + x] = Math.Exp(-((x - c) * (x - c) + (y - c) * (y - c)) / (2 * sigma * sigma));
        for (int i = 0; i < w.Length; i++) w[i] /= s;
        return w;
    }
}
