using System.Runtime.Intrinsics;

namespace IlgpuVq.Engine.Native;

/// <summary>
/// The kernel transforms of every <see cref="WinogradTiles"/> shape, from its G matrices (one per axis): U = G_h k G_wᵀ for the
/// forward (<see cref="Transform"/>) and dk = G_hᵀ dU G_w for the weight gradient (<see cref="Gradient"/>), over all
/// (output, input) channel pairs of a kernel. Pairs go 8 at a time, one per vector lane: position ξ of U then lies at
/// u[ξ·pairs + p] for 8 consecutive p, one contiguous vector, where one pair at a time read and wrote one float per α_h·α_w
/// positions, each in another cache line (pairs apart: 64 KiB at 128 → 128).
/// </summary>
internal static unsafe class WinogradKernels
{
    /// <summary>u[ξ·stride + p] = (G_h k_p G_wᵀ)_ξ for the kernels k_p, p &lt; pairs (r_h×r_w, row-major, consecutive in w), G_h
    /// and G_w those of <paramref name="tiles"/>. Each pair's result depends on that pair alone, so a caller may split the pairs.</summary>
    public static void Transform(float* w, float* u, long pairs, long stride, WinogradTiles tiles)
    {
        var (gh, alphaH, gw, alphaW) = (tiles.KernelRows, tiles.Rows, tiles.KernelCols, tiles.Cols);
        int rh = gh.Length / alphaH, rw = gw.Length / alphaW, taps = rh * rw;
        float* k = stackalloc float[taps * 8];
        float* t = stackalloc float[alphaH * rw * 8]; // G_h k
        float* uk = stackalloc float[alphaH * alphaW * 8];
        for (long p0 = 0; p0 < pairs; p0 += 8)
        {
            int count = (int)Math.Min(8, pairs - p0);
            for (int lane = 0; lane < 8; lane++)
            {
                float* kp = w + (p0 + Math.Min(lane, count - 1)) * taps; // lanes past the last pair repeat it
                for (int tap = 0; tap < taps; tap++) k[tap * 8 + lane] = kp[tap];
            }
            Combine(gh, rh, false, alphaH, rh, k, rw * 8, 8, t, rw * 8, 8, rw);           // t[i, b] = Σ_a G_h[i, a] k[a, b]
            Combine(gw, rw, false, alphaW, rw, t, 8, rw * 8, uk, 8, alphaW * 8, alphaH); // U[i, j] = Σ_b t[i, b] G_w[j, b]
            for (int xi = 0; xi < alphaH * alphaW; xi++) Conv2dWinograd.StoreTiles(Vector256.Load(uk + xi * 8), u + xi * stride + p0, count);
        }
    }

    /// <summary>dw_p = G_hᵀ U_p G_w for the pairs p &lt; pairs (position ξ of U_p at du[ξ·stride + p]) into r_h×r_w kernel
    /// gradients (row-major, consecutive in dw), G_h and G_w those of <paramref name="tiles"/>; pairs independent, as in
    /// <see cref="Transform"/>.</summary>
    public static void Gradient(float* du, long pairs, long stride, float* dw, WinogradTiles tiles)
    {
        var (gh, alphaH, gw, alphaW) = (tiles.KernelRows, tiles.Rows, tiles.KernelCols, tiles.Cols);
        int rh = gh.Length / alphaH, rw = gw.Length / alphaW, taps = rh * rw;
        float* uk = stackalloc float[alphaH * alphaW * 8];
        float* t = stackalloc float[rh * alphaW * 8]; // G_hᵀ U
        float* k = stackalloc float[taps * 8];
        for (long p0 = 0; p0 < pairs; p0 += 8)
        {
            int count = (int)Math.Min(8, pairs - p0);
            for (int xi = 0; xi < alphaH * alphaW; xi++)
            {
                float* src = du + xi * stride + p0;
                if (count == 8) Vector256.Load(src).Store(uk + xi * 8);
                else
                    for (int lane = 0; lane < 8; lane++) uk[xi * 8 + lane] = src[Math.Min(lane, count - 1)];
            }
            Combine(gh, rh, true, rh, alphaH, uk, alphaW * 8, 8, t, alphaW * 8, 8, alphaW); // t[a, j] = Σ_i G_h[i, a] U[i, j]
            Combine(gw, rw, true, rw, alphaW, t, 8, alphaW * 8, k, 8, rw * 8, rh);          // k[a, b] = Σ_j t[a, j] G_w[j, b]
            for (int lane = 0; lane < count; lane++)
            {
                float* kp = dw + (p0 + lane) * taps;
                for (int tap = 0; tap < taps; tap++) kp[tap] = k[tap * 8 + lane];
            }
        }
    }

    /// <summary>For each of <paramref name="lines"/> lines l and each output o: dst[o·dstStep + l·dstLine] =
    /// Σ_i c(o, i)·src[i·srcStep + l·srcLine] (8 lanes each, in ascending i, zero coefficients skipped), with the coefficients
    /// of a G [α, r] (<paramref name="columns"/> = r): c(o, i) = G[o, i], or G[i, o] when <paramref name="transposed"/>.</summary>
    static void Combine(float[] g, int columns, bool transposed, int outputs, int inputs, float* src, long srcStep, long srcLine,
        float* dst, long dstStep, long dstLine, int lines)
    {
        for (int l = 0; l < lines; l++)
            for (int o = 0; o < outputs; o++)
            {
                var acc = Vector256<float>.Zero;
                for (int i = 0; i < inputs; i++)
                {
                    float c = transposed ? g[i * columns + o] : g[o * columns + i];
                    if (c != 0f) acc += Vector256.Create(c) * Vector256.Load(src + i * srcStep + l * srcLine);
                }
                acc.Store(dst + o * dstStep + l * dstLine);
            }
    }
}
