namespace IlgpuVq.Checks.Reference;

/// <summary>Double-precision specification of the shifts (engine: <c>IlgpuVq.Engine.Ops.Shift</c>) on [N,C,H,W].</summary>
public static class ShiftReference
{
    /// <summary>y[n,c,i,j] = x[n,c,i−amount,j] for i ≥ amount, else 0.</summary>
    public static double[] Down(double[] x, int n, int c, int h, int w, int amount)
    {
        var y = new double[x.Length];
        for (int p = 0; p < n * c; p++)
            for (int i = amount; i < h; i++)
                for (int j = 0; j < w; j++)
                    y[(p * h + i) * w + j] = x[(p * h + i - amount) * w + j];
        return y;
    }

    /// <summary>y[n,c,i,j] = x[n,c,i,j−amount] for j ≥ amount, else 0.</summary>
    public static double[] Right(double[] x, int n, int c, int h, int w, int amount)
    {
        var y = new double[x.Length];
        for (int p = 0; p < n * c; p++)
            for (int i = 0; i < h; i++)
                for (int j = amount; j < w; j++)
                    y[(p * h + i) * w + j] = x[(p * h + i) * w + j - amount];
        return y;
    }
}
