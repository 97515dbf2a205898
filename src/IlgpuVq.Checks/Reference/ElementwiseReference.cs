namespace IlgpuVq.Checks.Reference;

/// <summary>Double-precision specification of the elementwise ops (engine: <c>IlgpuVq.Engine.Ops.Elementwise</c>).</summary>
public static class ElementwiseReference
{
    public static double[] Add(double[] a, double[] b)
    {
        var y = new double[a.Length];
        for (int i = 0; i < a.Length; i++) y[i] = a[i] + b[i];
        return y;
    }

    public static double[] Relu(double[] x)
    {
        var y = new double[x.Length];
        for (int i = 0; i < x.Length; i++) y[i] = Math.Max(x[i], 0);
        return y;
    }
}
