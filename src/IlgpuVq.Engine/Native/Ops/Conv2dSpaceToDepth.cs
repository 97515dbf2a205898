using IlgpuVq.Kernels;

namespace IlgpuVq.Engine.Native;

/// <summary>
/// A 4×4 stride-2 convolution with padding 1 (the VQ-VAE's down- and up-sampling layers) as a 2×2 stride-1 convolution over
/// the space-to-depth input, which <see cref="Conv2dWinograd"/> runs by F(2×2, 2×2): y[o] = Σ_k x[2o − 1 + k]·w[k] along an
/// axis splits by the parity a of the input row into xs_a[j] = x[2j − a] and taps k = 2t + 1 − a (t = 0, 1): y[o] = Σ_{a,t}
/// xs_a[o + t]·w[2t + 1 − a]. In 2-D the four phases (a, b) become channels: xs [4·Cin, OH + 1, OW + 1] with
/// xs[(2a + b)·Cin + ci, j, i] = x[ci, 2j − a, 2i − b] (zero outside x) and w' [Cout, 4·Cin, 2, 2] with
/// w'[co, (2a + b)·Cin + ci, t, u] = w[co, ci, 2t + 1 − a, 2u + 1 − b]; the weight gradient is the 2×2 one permuted back
/// (<see cref="ToKernel"/>); the input gradient is <see cref="Conv2dDepthToSpace"/>. The rearrangements are exact copies; F(2×2, 2×2)
/// rounds differently from the direct sums only in their order (its transforms add and subtract, nothing is scaled).
/// </summary>
public static unsafe class Conv2dSpaceToDepth
{
    /// <summary>True for a 4×4 kernel, stride 2, padding 1 on the top and left, an input of at least 2 × 2 (any OH, OW the
    /// padding allows).</summary>
    public static bool Fits(in Conv2dGeometry g) =>
        g.KH == 4 && g.KW == 4 && g.SH == 2 && g.SW == 2 && g.PT == 1 && g.PL == 1 && g.H >= 2 && g.W >= 2;

    /// <summary>The 2×2 stride-1 unpadded geometry over xs [4·Cin, OH + 1, OW + 1] with the same output (for <see cref="Fits"/>).</summary>
    public static Conv2dGeometry Reduced(in Conv2dGeometry g) => new()
    {
        N = g.N, Cin = 4 * g.Cin, H = g.OH + 1, W = g.OW + 1, Cout = g.Cout, OH = g.OH, OW = g.OW,
        KH = 2, KW = 2, SH = 1, SW = 1, PT = 0, PL = 0,
    };

    /// <summary>xs of one image x [Cin, H, W] (see the class summary) into <paramref name="xs"/> [4·Cin, OH + 1, OW + 1]; of relu(x)
    /// with <see cref="Conv2dGeometry.ReluInput"/> (the reduced geometry then reads xs as it is).</summary>
    public static void FromImage(float* x, float* xs, in Conv2dGeometry g)
    {
        long plane = (long)(g.OH + 1) * (g.OW + 1), phaseStride = g.Cin * plane;
        int ws = g.OW + 1;
        for (int a = 0; a < 2; a++)
            for (int ci = 0; ci < g.Cin; ci++)
            {
                float* src = x + (long)ci * g.H * g.W, dst = xs + 2 * a * phaseStride + ci * plane;
                for (int j = 0; j <= g.OH; j++, dst += ws)
                {
                    int r = 2 * j - a;
                    if (r < 0 || r >= g.H)
                    {
                        new Span<float>(dst, ws).Clear();
                        new Span<float>(dst + phaseStride, ws).Clear();
                        continue;
                    }
                    // Columns −1, 1, 3, … are phase b = 1, columns 0, 2, 4, … phase b = 0.
                    Conv2dWinograd.SplitColumns(src + (long)r * g.W, g.W, -1, dst + phaseStride, dst, ws, g.ReluInput != 0);
                }
            }
    }

    /// <summary>w' [Cout, 4·Cin, 2, 2] of w [Cout, Cin, 4, 4] (see the class summary) into <paramref name="reduced"/>.</summary>
    public static void FromKernel(float* w, float* reduced, in Conv2dGeometry g) => Permute(w, reduced, g, toReduced: true);

    /// <summary>The inverse of <see cref="FromKernel"/>: dw [Cout, Cin, 4, 4] of dw' [Cout, 4·Cin, 2, 2].</summary>
    public static void ToKernel(float* reduced, float* w, in Conv2dGeometry g) => Permute(w, reduced, g, toReduced: false);

    static void Permute(float* w, float* reduced, in Conv2dGeometry g, bool toReduced)
    {
        for (int co = 0; co < g.Cout; co++)
            for (int phase = 0; phase < 4; phase++)
            {
                int a = phase >> 1, b = phase & 1;
                for (int ci = 0; ci < g.Cin; ci++)
                {
                    float* full = w + ((long)co * g.Cin + ci) * 16, small = reduced + (((long)co * 4 + phase) * g.Cin + ci) * 4;
                    for (int t = 0; t < 2; t++)
                        for (int u = 0; u < 2; u++)
                        {
                            ref float f = ref full[(2 * t + 1 - a) * 4 + 2 * u + 1 - b];
                            if (toReduced) small[2 * t + u] = f;
                            else f = small[2 * t + u];
                        }
                }
            }
    }
}
