namespace IlgpuVq.Checks.Reference;

/// <summary>
/// Double-precision specification of <c>IlgpuVq.Engine.Ops.MaskedConv2d</c>: the PixelCNN masks, and conv2d (stride 1) with
/// weight ⊙ mask (<see cref="Conv2dReference"/>).
/// </summary>
public static class MaskedConv2dReference
{
    /// <summary>kind: "full", "vertical" or "horizontal"; typeB: whether the current pixel is included.</summary>
    public static bool Allows(string kind, bool typeB, int kh, int kw, int r, int c)
    {
        switch (kind)
        {
            case "vertical": // rows up to and including the centre row kw/2 (the last row of a (k/2+1)×k kernel)
                return r <= kw / 2;
            case "horizontal": // the current pixel is the last column of a 1×(k/2+1) kernel
                return c < kw - 1 || (typeB && c == kw - 1);
            default: // full k×k: strictly above the centre, or left of it on the centre row (B: the centre too)
                int cr = kh / 2, cc = kw / 2;
                if (r < cr) return true;
                if (r > cr) return false;
                return c < cc || (typeB && c == cc);
        }
    }

    /// <summary>The [cout,cin,kh,kw] mask.</summary>
    public static double[] Mask(string kind, bool typeB, int kh, int kw, int cout, int cin)
    {
        var m = new double[cout * cin * kh * kw];
        for (int i = 0; i < m.Length; i++)
        {
            int tap = i % (kh * kw);
            m[i] = Allows(kind, typeB, kh, kw, tap / kw, tap % kw) ? 1 : 0;
        }
        return m;
    }

    public static double[] Apply(double[] x, double[] w, double[] mask, double[]? bias, int n, int cin, int h, int wd, int cout,
        int kh, int kw, int top, int bottom, int left, int right)
    {
        var masked = new double[w.Length];
        for (int i = 0; i < w.Length; i++) masked[i] = w[i] * mask[i];
        return Conv2dReference.Apply(x, masked, bias, n, cin, h, wd, cout, kh, kw, 1, 1, top, bottom, left, right);
    }
}
