using IlgpuVq.Kernels;

namespace IlgpuVq.Engine.Native;

/// <summary>
/// The input gradient of a 4×4 stride-2 convolution with padding 1 (<see cref="Fits"/>; conv_transpose2d's forward too) as one
/// 2×2 stride-1 convolution of dy, which <see cref="Conv2dWinograd"/> runs by F(2×2, 2×2), then depth to space. Along an axis
/// dx[i] = Σ_{o, k: 2o − 1 + k = i} w[k]·dy[o], so output r of the unpadded 2×2 correlation of dy (taps dy[r], dy[r + 1])
/// gives two rows of dx: phase a = 1 row 2r + 1 with w[2 − 2t] and phase a = 0 row 2r + 2 with w[3 − 2t] (t = 0, 1). In 2-D the
/// four phases (a, b) are the reduced convolution's 4·Cin output channels (<see cref="Reduced"/>, kernel <see cref="FromKernel"/>),
/// and <see cref="ToImage"/> puts them at dx[2r + 2 − a, 2s + 2 − b]. That covers every row and column of dx but the first:
/// row 0 and column 0 take only the taps w[1, ·] and w[·, 1] from dy's first row and column, two small products over the
/// whole batch (<see cref="Edges"/>). A grid that also covered them (outputs r = −1 …, 17 × 17 at 16 × 16) had 81 tiles per
/// image where this one has 64, and its products lost to im2col + GEMM on AVX-512.
/// </summary>
public static unsafe class Conv2dDepthToSpace
{
    /// <summary>True for a 4×4 stride-2 convolution with padding 1 (<see cref="Conv2dSpaceToDepth.Fits"/>) whose output is
    /// ⌊H/2⌋ × ⌊W/2⌋ (padding 1 on the bottom and right too, or conv_transpose2d's output padding).</summary>
    public static bool Fits(in Conv2dGeometry g) => Conv2dSpaceToDepth.Fits(g) && g.OH == g.H / 2 && g.OW == g.W / 2;

    /// <summary>The 2×2 stride-1 convolution of dy [Cout, OH, OW] (no top or left padding, one zero row and column past the end)
    /// into the phases of dx, [4·Cin, OH, OW] with channel (2a + b)·Cin + ci.</summary>
    public static Conv2dGeometry Reduced(in Conv2dGeometry g) => new()
    {
        N = g.N, Cin = g.Cout, H = g.OH, W = g.OW, Cout = 4 * g.Cin, OH = g.OH, OW = g.OW,
        KH = 2, KW = 2, SH = 1, SW = 1, PT = 0, PL = 0,
    };

    /// <summary>The reduced kernel w' [4·Cin, Cout, 2, 2], w'[(2a + b)·Cin + ci, co, t, u] = w[co, ci, 3 − a − 2t, 3 − b − 2u], of
    /// w [Cout, Cin, 4, 4].</summary>
    public static void FromKernel(float* w, float* reduced, in Conv2dGeometry g)
    {
        for (int phase = 0; phase < 4; phase++)
        {
            int a = phase >> 1, b = phase & 1;
            for (int ci = 0; ci < g.Cin; ci++)
                for (int co = 0; co < g.Cout; co++)
                {
                    float* full = w + ((long)co * g.Cin + ci) * 16, small = reduced + (((long)phase * g.Cin + ci) * g.Cout + co) * 4;
                    for (int t = 0; t < 2; t++)
                        for (int u = 0; u < 2; u++) small[2 * t + u] = full[(3 - a - 2 * t) * 4 + 3 - b - 2 * u];
                }
        }
    }

    /// <summary>Channels [ci0, ci1) of one image's dx, rows and columns from 1 on, from its phases p [4·Cin, OH, OW] (the
    /// reduced convolution's output): dx[ci, 2r + 2 − a, 2s + 2 − b] = p[(2a + b)·Cin + ci, r, s] inside dx.</summary>
    public static void ToImage(float* p, float* dx, in Conv2dGeometry g, int ci0, int ci1)
    {
        long plane = (long)g.OH * g.OW, phase = g.Cin * plane;
        for (int ci = ci0; ci < ci1; ci++)
            for (int a = 0; a < 2; a++)
                for (int r = 0; r < g.OH; r++)
                {
                    int row = 2 * r + 2 - a;
                    if (row >= g.H) continue;
                    float* src = p + 2 * a * phase + ci * plane + (long)r * g.OW; // b = 0; b = 1 one phase further
                    // Columns 1, 3, … are phase b = 1 and columns 2, 4, … phase b = 0.
                    NativeVector.Interleave(dx + ((long)ci * g.H + row) * g.W + 1, src + phase, src, g.W - 1);
                }
    }

    /// <summary>
    /// Row 0 and column 0 of every image's dx (the corner with row 0). Along the edge, dx[2i + q] (q the parity) is
    /// Σ_{co, s &lt; 3} w[co, ci, …, q + 3 − 2s]·dy[co, …, i + s − 1] over the taps inside the kernel, with the other axis at tap 1
    /// and dy's row (or column) 0: one product [2·Cin, 3·Cout] · [3·Cout, N·⌈length/2⌉] per edge, by <see cref="Sgemm"/>.
    /// </summary>
    public static void Edges(float* dy, float* w, float* dx, in Conv2dGeometry g)
    {
        Edge(dy, w, dx, g, new EdgeLine(1, g.OW, 1, g.W, 4, 1, 0));
        Edge(dy, w, dx, g, new EdgeLine(g.OW, g.OH, g.W, g.H, 1, 4, 1));
    }

    /// <summary>One edge of dy and dx: dy's line (stride, length), dx's line (stride, length), the kernel taps along it
    /// (w[co, ci, TapBase + k·TapStride]), and the first element of dx's line to write.</summary>
    readonly record struct EdgeLine(int DyStride, int DyLength, int DxStride, int DxLength, int TapBase, int TapStride, int First);

    static void Edge(float* dy, float* w, float* dx, in Conv2dGeometry g, EdgeLine e)
    {
        int rows = 2 * g.Cin, depth = 3 * g.Cout, per = (e.DxLength + 1) / 2, cols = g.N * per;
        long dyImage = (long)g.Cout * g.OH * g.OW, dxImage = (long)g.Cin * g.H * g.W;
        float* kernel = NativeScratch.Get(ScratchSlot.DepthToSpaceEdges, (long)rows * depth + (long)depth * cols + (long)rows * cols);
        float* lines = kernel + (long)rows * depth, product = lines + (long)depth * cols;
        for (int q = 0; q < 2; q++)
            for (int ci = 0; ci < g.Cin; ci++)
            {
                float* dst = kernel + (long)(q * g.Cin + ci) * depth;
                for (int co = 0; co < g.Cout; co++)
                    for (int s = 0; s < 3; s++)
                    {
                        int k = q + 3 - 2 * s;
                        dst[co * 3 + s] = k is >= 0 and < 4 ? w[((long)co * g.Cin + ci) * 16 + e.TapBase + k * e.TapStride] : 0f;
                    }
            }
        var gg = g;
        NativeParallel.For(g.Cout, co =>
        {
            for (int s = 0; s < 3; s++)
            {
                float* dst = lines + (long)(co * 3 + s) * cols;
                for (int n = 0; n < gg.N; n++)
                {
                    float* src = dy + n * dyImage + (long)co * gg.OH * gg.OW;
                    for (int i = 0; i < per; i++)
                    {
                        int o = i + s - 1;
                        dst[n * per + i] = o >= 0 && o < e.DyLength ? src[o * e.DyStride] : 0f;
                    }
                }
            }
        });
        Sgemm.Multiply(rows, cols, depth, 1f, StridedMatrix.RowMajor(kernel, depth), StridedMatrix.RowMajor(lines, cols), product, cols, false, true);
        NativeParallel.For(g.N, n =>
        {
            for (int q = 0; q < 2; q++)
                for (int ci = 0; ci < gg.Cin; ci++)
                {
                    float* src = product + (long)(q * gg.Cin + ci) * cols + n * per, dst = dx + n * dxImage + (long)ci * gg.H * gg.W;
                    for (int i = 0; i < per; i++)
                    {
                        int at = 2 * i + q;
                        if (at >= e.First && at < e.DxLength) dst[at * e.DxStride] = src[i];
                    }
                }
        });
    }
}
