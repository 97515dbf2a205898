namespace IlgpuVq.Checks.Reference;

/// <summary>Double-precision specification of the elementwise ops (engine: <c>IlgpuVq.Engine.Ops.Elementwise</c>).</summary>
public static class ElementwiseReference
{
    static double[] Map(double[] x, Func<double, double> f)
    {
        var y = new double[x.Length];
        for (int i = 0; i < x.Length; i++) y[i] = f(x[i]);
        return y;
    }

    static double[] Zip(double[] a, double[] b, Func<double, double, double> f)
    {
        var y = new double[a.Length];
        for (int i = 0; i < a.Length; i++) y[i] = f(a[i], b[i]);
        return y;
    }

    public static double[] Add(double[] a, double[] b) => Zip(a, b, (u, v) => u + v);
    public static double[] Sub(double[] a, double[] b) => Zip(a, b, (u, v) => u - v);
    public static double[] Mul(double[] a, double[] b) => Zip(a, b, (u, v) => u * v);
    public static double[] Scale(double[] x, double s) => Map(x, u => u * s);
    public static double[] AddScalar(double[] x, double s) => Map(x, u => u + s);
    public static double[] Relu(double[] x) => Map(x, u => Math.Max(u, 0));
    public static double[] Tanh(double[] x) => Map(x, Math.Tanh);
    public static double[] Sigmoid(double[] x) => Map(x, Sigmoid);

    public static double Sigmoid(double u) => 1 / (1 + Math.Exp(-u));

    /// <summary>x [N,C,...] + bias[c]; <paramref name="shape"/> is x's shape.</summary>
    public static double[] BiasAdd(double[] x, double[] bias, int[] shape)
    {
        int n = shape[0], c = shape[1], inner = x.Length / Math.Max(1, n * c);
        var y = new double[x.Length];
        for (int b = 0; b < n; b++)
            for (int ch = 0; ch < c; ch++)
                for (int j = 0; j < inner; j++)
                {
                    int i = (b * c + ch) * inner + j;
                    y[i] = x[i] + bias[ch];
                }
        return y;
    }

    /// <summary>x [N,2C,...] → tanh(x[:, c]) · sigmoid(x[:, C + c]) of shape [N,C,...]; <paramref name="shape"/> is x's shape.</summary>
    public static double[] GatedActivation(double[] x, int[] shape)
    {
        int n = shape[0], c = shape[1] / 2, inner = x.Length / Math.Max(1, n * 2 * c);
        var y = new double[n * c * inner];
        for (int b = 0; b < n; b++)
            for (int ch = 0; ch < c; ch++)
                for (int j = 0; j < inner; j++)
                {
                    double a = x[(b * 2 * c + ch) * inner + j];
                    double g = x[(b * 2 * c + c + ch) * inner + j];
                    y[(b * c + ch) * inner + j] = Math.Tanh(a) * Sigmoid(g);
                }
        return y;
    }
}
