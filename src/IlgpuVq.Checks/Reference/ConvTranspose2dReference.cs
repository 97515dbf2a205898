namespace IlgpuVq.Checks.Reference;

/// <summary>
/// Double-precision specification of <c>IlgpuVq.Engine.Ops.ConvTranspose2d</c> (PyTorch semantics), written as the scatter
/// that defines it: every input pixel x[n,ci,ih,iw] adds x·w[ci,co,kh,kw] to y[n,co,ih·sh − ph + kh, iw·sw − pw + kw] when that
/// position lies inside y [N,Cout,Hout,Wout], Hout = (H − 1)·sh − 2·ph + kH + oph; then bias[co] is added.
/// </summary>
public static class ConvTranspose2dReference
{
    public static double[] Apply(double[] x, double[] w, double[]? bias, int n, int cin, int h, int wd, int cout, int kh, int kw,
        int sh, int sw, int ph, int pw, int oph, int opw)
    {
        int hout = (h - 1) * sh - 2 * ph + kh + oph, wout = (wd - 1) * sw - 2 * pw + kw + opw;
        var y = new double[n * cout * hout * wout];
        for (int b = 0; b < n; b++)
            for (int ci = 0; ci < cin; ci++)
                for (int i = 0; i < h; i++)
                    for (int j = 0; j < wd; j++)
                    {
                        double xv = x[((b * cin + ci) * h + i) * wd + j];
                        for (int co = 0; co < cout; co++)
                            for (int u = 0; u < kh; u++)
                                for (int v = 0; v < kw; v++)
                                {
                                    int oh = i * sh - ph + u, ow = j * sw - pw + v;
                                    if (oh < 0 || oh >= hout || ow < 0 || ow >= wout) continue;
                                    y[((b * cout + co) * hout + oh) * wout + ow] += xv * w[((ci * cout + co) * kh + u) * kw + v];
                                }
                    }
        if (bias != null)
            for (int b = 0; b < n; b++)
                for (int co = 0; co < cout; co++)
                    for (int p = 0; p < hout * wout; p++) y[(b * cout + co) * hout * wout + p] += bias[co];
        return y;
    }
}
