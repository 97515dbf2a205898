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
/// image where this one has 64, and its products lost to im2col + GEMM on AVX-512. Measured on Zen 4 (batch 32, 64 ← 128,
/// 32 × 32, min of 40): 12.7–13.1 ms by im2col + GEMM + col2im, 9.2–9.5 ms so, on AVX-512 and AVX2 alike.
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
    /// Σ_{s, co} w[co, ci, …, q + 3 − 2s]·dy[co, …, i + s − 1] over the two shifts s with the tap inside the kernel (s = 0, 1 for
    /// q = 0; s = 1, 2 for q = 1), the other axis at tap 1 and dy's row (or column) 0. dy's edge lines are copied once, each
    /// image's between zeros, so that every shift s is a view of them; then per parity two products [Cin, Cout] · [Cout, N·(⌈len/2⌉ + 1)]
    /// by <see cref="Sgemm"/> (one column per image is padding).
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
        int per = (e.DxLength + 1) / 2, segment = per + 1, cols = g.N * segment, lineLength = cols + 2;
        long dyImage = (long)g.Cout * g.OH * g.OW, dxImage = (long)g.Cin * g.H * g.W, kernel = (long)g.Cin * g.Cout;
        // Kernels (q, s) = (0, 0), (0, 1), (1, 1), (1, 2); lines [Cout][lineLength]; products [2][Cin][cols].
        float* kernels = NativeScratch.Get(ScratchSlot.DepthToSpaceEdges, 4 * kernel + (long)g.Cout * lineLength + 2L * g.Cin * cols);
        float* lines = kernels + 4 * kernel, products = lines + (long)g.Cout * lineLength;
        var gg = g;
        NativeParallel.For(g.Cin, ci =>
        {
            for (int q = 0; q < 2; q++)
                for (int t = 0; t < 2; t++)
                {
                    int tap = e.TapBase + (3 - q - 2 * t) * e.TapStride; // k = q + 3 − 2s with s = q + t
                    float* dst = kernels + (2 * q + t) * kernel + (long)ci * gg.Cout;
                    for (int co = 0; co < gg.Cout; co++) dst[co] = w[((long)co * gg.Cin + ci) * 16 + tap];
                }
        });
        // lines[co][n·segment + 1 + i] = dy's edge value i of image n (i < DyLength), zero in the other places.
        NativeParallel.For(g.Cout, co =>
        {
            float* line = lines + (long)co * lineLength;
            new Span<float>(line, lineLength).Clear();
            for (int n = 0; n < gg.N; n++)
            {
                float* src = dy + n * dyImage + (long)co * gg.OH * gg.OW, dst = line + n * segment + 1;
                if (e.DyStride == 1) NativeVector.Copy(dst, src, e.DyLength);
                else
                    for (int i = 0; i < e.DyLength; i++) dst[i] = src[(long)i * e.DyStride];
            }
        });
        // Product column n·segment + i reads lines at + i + s: dy's value i + s − 1 of image n.
        for (int q = 0; q < 2; q++)
            for (int t = 0; t < 2; t++)
                Sgemm.Multiply(g.Cin, cols, g.Cout, 1f, StridedMatrix.RowMajor(kernels + (2 * q + t) * kernel, g.Cout),
                    StridedMatrix.RowMajor(lines + q + t, lineLength), products + (long)q * g.Cin * cols, cols, t > 0, true);
        NativeParallel.For(g.N, n =>
        {
            for (int q = 0; q < 2; q++)
                for (int ci = 0; ci < gg.Cin; ci++)
                {
                    float* src = products + ((long)q * gg.Cin + ci) * cols + n * segment, dst = dx + n * dxImage + (long)ci * gg.H * gg.W;
                    for (int i = 0; i < per; i++)
                    {
                        int at = 2 * i + q;
                        if (at >= e.First && at < e.DxLength) dst[at * e.DxStride] = src[i];
                    }
                }
        });
    }
}
