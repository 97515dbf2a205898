namespace IlgpuVq.Checks.Reference;

/// <summary>Double-precision specification of <c>BatchBias.Add</c>: y[b,c,h,w] = x[b,c,h,w] + bias[b,c].</summary>
public static class BatchBiasReference
{
    public static double[] Add(double[] x, double[] bias, int batch, int channels, int height, int width)
    {
        var y = new double[x.Length];
        for (int b = 0; b < batch; b++)
            for (int c = 0; c < channels; c++)
                for (int h = 0; h < height; h++)
                    for (int w = 0; w < width; w++)
                    {
                        int i = ((b * channels + c) * height + h) * width + w;
                        y[i] = x[i] + bias[b * channels + c];
                    }
        return y;
    }
}
