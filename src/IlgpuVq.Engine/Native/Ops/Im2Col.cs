using IlgpuVq.Kernels;

namespace IlgpuVq.Engine.Native;

/// <summary>
/// The column matrix of one image of a convolution (<see cref="Conv2dGeometry"/>) and its adjoint:
/// col[(ci·KH + kh)·KW + kw, oh·OW + ow] = x[ci, oh·SH − PT + kh, ow·SW − PL + kw] (zero outside the image), a
/// [Cin·KH·KW, OH·OW] row-major matrix, so that conv = weight [Cout, Cin·KH·KW] · col.
/// </summary>
static unsafe class Im2Col
{
    /// <summary>
    /// Fills rows [row0, row1) of col from one image x [Cin,H,W]; row r = (ci·KH + kh)·KW + kw lies at col + r·OH·OW (so a
    /// chunk of rows goes to a buffer of that chunk's size when col is offset back by row0·OH·OW). With
    /// <see cref="Conv2dGeometry.ReluInput"/> each row is rectified once it is filled (still in L1): the columns of relu(x).
    /// </summary>
    public static void Expand(float* x, float* col, in Conv2dGeometry g, int row0, int row1)
    {
        int ohw = g.OH * g.OW, khw = g.KH * g.KW;
        for (int r = row0; r < row1; r++)
        {
            ExpandRow(x, col, g, r, ohw, khw);
            if (g.ReluInput != 0) SimdMap.UnaryRange(col + (long)r * ohw, col + (long)r * ohw, 0, ohw, default(Rectified));
        }
    }

    /// <summary>Row r of col (see <see cref="Expand"/>).</summary>
    static void ExpandRow(float* x, float* col, in Conv2dGeometry g, int r, int ohw, int khw)
    {
        int ci = r / khw, kh = (r - ci * khw) / g.KW, kw = r - ci * khw - kh * g.KW;
        float* plane = x + (long)ci * g.H * g.W, row = col + (long)r * ohw;
        var (lo, hi) = ValidColumns(g, kw);
        if (WholeRows(g, lo, hi))
        {
            // Output rows [a, b) are input rows a − PT + kh …, consecutive in both: one copy, zeros around it.
            var (a, b) = ValidRows(g, kh);
            new Span<float>(row, a * g.OW).Clear();
            NativeVector.Copy(row + a * g.OW, plane + (a - g.PT + kh) * g.W, (b - a) * g.OW);
            new Span<float>(row + b * g.OW, (g.OH - b) * g.OW).Clear();
            return;
        }
        for (int oh = 0; oh < g.OH; oh++)
        {
            float* dst = row + oh * g.OW;
            int ih = oh * g.SH - g.PT + kh;
            if (ih < 0 || ih >= g.H)
            {
                new Span<float>(dst, g.OW).Clear();
                continue;
            }
            float* src = plane + ih * g.W - g.PL + kw; // src[ow·SW] = x[ci, ih, ow·SW − PL + kw]
            for (int ow = 0; ow < lo; ow++) dst[ow] = 0f;
            if (g.SW == 1) NativeVector.Copy(dst + lo, src + lo, hi - lo);
            else if (g.SW == 2) NativeVector.GatherEven(dst + lo, src + 2 * lo, hi - lo);
            else
                for (int ow = lo; ow < hi; ow++) dst[ow] = src[ow * g.SW];
            for (int ow = hi; ow < g.OW; ow++) dst[ow] = 0f;
        }
    }

    /// <summary>
    /// The adjoint of <see cref="Expand"/> for input channels [ci0, ci1), whose rows start at col + ci0·KH·KW·OH·OW:
    /// dx[ci, ih, iw] = Σ over the col entries that read (ci, ih, iw), summed in the fixed order (kh, kw, oh, ow); dx planes
    /// are overwritten.
    /// </summary>
    public static void Fold(float* col, float* dx, in Conv2dGeometry g, int ci0, int ci1)
    {
        int ohw = g.OH * g.OW;
        for (int ci = ci0; ci < ci1; ci++)
        {
            float* plane = dx + (long)ci * g.H * g.W;
            new Span<float>(plane, g.H * g.W).Clear();
            for (int kh = 0; kh < g.KH; kh++)
                for (int kw = 0; kw < g.KW; kw++)
                {
                    float* row = col + ((long)(ci * g.KH + kh) * g.KW + kw) * ohw;
                    var (lo, hi) = ValidColumns(g, kw);
                    if (WholeRows(g, lo, hi))
                    {
                        // The same adds as the row loop below (each dx element gets one of them per (kh, kw)), in one call.
                        var (a, b) = ValidRows(g, kh);
                        NativeVector.AddTo(plane + (a - g.PT + kh) * g.W, row + a * g.OW, (b - a) * g.OW);
                        continue;
                    }
                    for (int oh = 0; oh < g.OH; oh++)
                    {
                        int ih = oh * g.SH - g.PT + kh;
                        if (ih < 0 || ih >= g.H) continue;
                        float* dst = plane + ih * g.W - g.PL + kw, src = row + oh * g.OW;
                        if (g.SW == 1) NativeVector.AddTo(dst + lo, src + lo, hi - lo);
                        else if (g.SW == 2) NativeVector.AddToEven(dst + 2 * lo, src + lo, hi - lo);
                        else
                            for (int ow = lo; ow < hi; ow++) dst[ow * g.SW] += src[ow];
                    }
                }
        }
    }

    /// <summary>Whether every valid output row of a kernel column is a whole input row at stride 1 (its columns [lo, hi) are
    /// all OW = W of them, so kw = PL), which makes consecutive rows consecutive in both col and x.</summary>
    static bool WholeRows(in Conv2dGeometry g, int lo, int hi) => g.SH == 1 && g.SW == 1 && g.OW == g.W && lo == 0 && hi == g.OW;

    /// <summary>The output rows [a, b) whose input row oh − PT + kh lies inside [0, H) (stride 1).</summary>
    static (int A, int B) ValidRows(in Conv2dGeometry g, int kh)
    {
        int a = Math.Clamp(g.PT - kh, 0, g.OH);
        return (a, Math.Clamp(g.H + g.PT - kh, a, g.OH));
    }

    /// <summary>The output columns [lo, hi) whose input column ow·SW − PL + kw lies inside [0, W).</summary>
    static (int Lo, int Hi) ValidColumns(in Conv2dGeometry g, int kw)
    {
        int first = g.PL - kw, end = g.W + g.PL - kw;
        int lo = first <= 0 ? 0 : Math.Min(g.OW, (first + g.SW - 1) / g.SW);
        int hi = end <= 0 ? 0 : Math.Min(g.OW, (end + g.SW - 1) / g.SW);
        return (lo, Math.Max(lo, hi));
    }
}
