namespace IlgpuVq.Checks.Reference;

/// <summary>
/// Double-precision specification of <c>IlgpuVq.Engine.Ops.Conv2d</c>: x [N,Cin,H,W], w [Cout,Cin,KH,KW], bias [Cout] or null,
/// y[n,co,oh,ow] = bias[co] + Σ_{ci,kh,kw} w[co,ci,kh,kw]·x[n,ci,oh·sh − top + kh, ow·sw − left + kw] (zero outside the input),
/// OH = (H + top + bottom − KH)/sh + 1, OW = (W + left + right − KW)/sw + 1.
/// </summary>
public static class Conv2dReference
{
    public static double[] Apply(double[] x, double[] w, double[]? bias, int n, int cin, int h, int wd, int cout, int kh, int kw,
        int sh, int sw, int top, int bottom, int left, int right)
    {
        int oh = (h + top + bottom - kh) / sh + 1, ow = (wd + left + right - kw) / sw + 1;
        var y = new double[n * cout * oh * ow];
        for (int b = 0; b < n; b++)
            for (int co = 0; co < cout; co++)
                for (int i = 0; i < oh; i++)
                    for (int j = 0; j < ow; j++)
                    {
                        double s = bias?[co] ?? 0;
                        for (int ci = 0; ci < cin; ci++)
                            for (int u = 0; u < kh; u++)
                                for (int v = 0; v < kw; v++)
                                {
                                    int ih = i * sh - top + u, iw = j * sw - left + v;
                                    if (ih < 0 || ih >= h || iw < 0 || iw >= wd) continue;
                                    s += w[((co * cin + ci) * kh + u) * kw + v] * x[((b * cin + ci) * h + ih) * wd + iw];
                                }
                        y[((b * cout + co) * oh + i) * ow + j] = s;
                    }
        return y;
    }
}
