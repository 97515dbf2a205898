using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using IlgpuVq.Kernels;

namespace IlgpuVq.Engine.Native;

/// <summary>
/// The transforms of Winograd's F(2×2, 3×3) for <see cref="Conv2dWinograd"/>: 4×4 input tiles at a stride of 2, 16 positions.
/// Bᵀ = [1 0 −1 0; 0 1 1 0; 0 −1 1 0; 0 1 0 −1], G = [1 0 0; ½ ½ ½; ½ −½ ½; 0 0 1], Aᵀ = [1 1 1 0; 0 1 −1 −1]: they only add and
/// subtract (and halve, exactly), over 8 tiles of a tile row at once.
/// </summary>
internal readonly unsafe struct WinogradTiles3x3 : IWinogradTiles
{
    public static int Positions => 16;
    public static int KernelSize => 9;

    /// <summary>u[ξ·step] = (G k Gᵀ)_ξ for one 3×3 kernel k (row-major), ξ = 4i + j.</summary>
    public static void TransformKernel(float* k, float* u, long step)
    {
        float* t = stackalloc float[12]; // G k: 4 × 3
        for (int c = 0; c < 3; c++)
        {
            float k0 = k[c], k1 = k[3 + c], k2 = k[6 + c];
            t[c] = k0;
            t[3 + c] = 0.5f * (k0 + k1 + k2);
            t[6 + c] = 0.5f * (k0 - k1 + k2);
            t[9 + c] = k2;
        }
        for (int i = 0; i < 4; i++)
        {
            float t0 = t[3 * i], t1 = t[3 * i + 1], t2 = t[3 * i + 2];
            u[(4 * i) * step] = t0;
            u[(4 * i + 1) * step] = 0.5f * (t0 + t1 + t2);
            u[(4 * i + 2) * step] = 0.5f * (t0 - t1 + t2);
            u[(4 * i + 3) * step] = t2;
        }
    }

    /// <summary>k = Gᵀ U G for one 4×4 U (position ξ = 4i + j at u[ξ·step]) into a 3×3 kernel gradient k (row-major).</summary>
    public static void TransformKernelGradient(float* u, long step, float* k)
    {
        float* t = stackalloc float[12]; // Gᵀ U: 3 × 4
        for (int j = 0; j < 4; j++)
        {
            float u0 = u[j * step], u1 = u[(4 + j) * step], u2 = u[(8 + j) * step], u3 = u[(12 + j) * step];
            t[j] = u0 + 0.5f * (u1 + u2);
            t[4 + j] = 0.5f * (u1 - u2);
            t[8 + j] = 0.5f * (u1 + u2) + u3;
        }
        for (int r = 0; r < 3; r++)
        {
            float t0 = t[4 * r], t1 = t[4 * r + 1], t2 = t[4 * r + 2], t3 = t[4 * r + 3];
            k[3 * r] = t0 + 0.5f * (t1 + t2);
            k[3 * r + 1] = 0.5f * (t1 - t2);
            k[3 * r + 2] = 0.5f * (t1 + t2) + t3;
        }
    }

    /// <summary>
    /// dM = A dY Aᵀ for tile rows [ty0, ty0 + rows) of one output channel's gradient dyk [OH, OW] (zero past the edge): position
    /// ξ of tile t at m[ξ·step + t]. Along each axis a pair (e0, e1) becomes (e0, e0 + e1, e0 − e1, −e1).
    /// </summary>
    public static void TransformOutputGradient(float* dyk, float* m, long step, in Conv2dGeometry g, int ty0, int rows)
    {
        int tw = (g.OW + 1) / 2, lanes = (tw + 7) / 8 * 8;
        // Two rows' [4][lanes], then R0, R1 and the split's staging.
        float* h = NativeScratch.Get(ScratchSlot.WinogradRows, 2L * 4 * lanes + 4 * lanes);
        float* r0 = h + 8L * lanes, r1 = r0 + lanes, staging = r1 + lanes;
        float* out8 = stackalloc float[8];
        for (int ty = 0; ty < rows; ty++)
        {
            for (int a = 0; a < 2; a++)
            {
                int oy = 2 * (ty0 + ty) + a;
                float* ha = h + (long)a * 4 * lanes;
                if (oy >= g.OH)
                {
                    new Span<float>(ha, 4 * lanes).Clear();
                    continue;
                }
                Conv2dWinograd.SplitColumns(dyk + (long)oy * g.OW, g.OW, 0, r0, r1, lanes, staging);
                for (int j = 0; j < lanes; j += 8)
                {
                    var e0 = Vector256.Load(r0 + j);
                    var e1 = Vector256.Load(r1 + j);
                    e0.Store(ha + j);
                    (e0 + e1).Store(ha + lanes + j);
                    (e0 - e1).Store(ha + 2 * lanes + j);
                    (-e1).Store(ha + 3 * lanes + j);
                }
            }
            for (int col = 0; col < 4; col++)
                for (int j = 0; j < tw; j += 8)
                {
                    var e0 = Vector256.Load(h + col * lanes + j);
                    var e1 = Vector256.Load(h + 4L * lanes + col * lanes + j);
                    float* dst = m + (long)ty * tw + j + col * step;
                    int count = Math.Min(8, tw - j);
                    Conv2dWinograd.StoreTiles(e0, dst, count, out8);
                    Conv2dWinograd.StoreTiles(e0 + e1, dst + 4 * step, count, out8);
                    Conv2dWinograd.StoreTiles(e0 - e1, dst + 8 * step, count, out8);
                    Conv2dWinograd.StoreTiles(-e1, dst + 12 * step, count, out8);
                }
        }
    }

    /// <summary>
    /// V for tile rows [ty0, ty0 + rows) of one input channel xc [H, W]: position ξ of tile t at v[ξ·step + t]. Each input row
    /// r is split into P[j] = x[r, 2j − PL] and Q[j] = x[r, 2j − PL + 1] (zero outside), so that tile tx reads d = (P[tx],
    /// Q[tx], P[tx+1], Q[tx+1]) along a row and d B is four vector sums over 8 tiles; Bᵀ (d B) then combines four such rows.
    /// </summary>
    public static void TransformInput(float* xc, float* v, long step, in Conv2dGeometry g, int ty0, int rows)
    {
        int tw = (g.OW + 1) / 2, lanes = (tw + 7) / 8 * 8;
        int inRows = 2 * rows + 2;
        // Row transforms d B of every input row the block reads: [inRows][4][lanes].
        float* h = NativeScratch.Get(ScratchSlot.WinogradRows, (long)inRows * 4 * lanes + 4 * (lanes + 8)); // + P, Q and the split's staging
        float* p = h + (long)inRows * 4 * lanes, q = p + lanes + 8, staging = q + lanes + 8;
        for (int ir = 0; ir < inRows; ir++)
        {
            int r = 2 * ty0 + ir - g.PT;
            float* hr = h + (long)ir * 4 * lanes;
            if (r < 0 || r >= g.H)
            {
                new Span<float>(hr, 4 * lanes).Clear();
                continue;
            }
            Conv2dWinograd.SplitColumns(xc + (long)r * g.W, g.W, -g.PL, p, q, lanes + 8, staging);
            for (int j = 0; j < lanes; j += 8)
            {
                var p0 = Vector256.Load(p + j);
                var p1 = Vector256.Load(p + j + 1);
                var q0 = Vector256.Load(q + j);
                var q1 = Vector256.Load(q + j + 1);
                (p0 - p1).Store(hr + j);
                (q0 + p1).Store(hr + lanes + j);
                (p1 - q0).Store(hr + 2 * lanes + j);
                (q0 - q1).Store(hr + 3 * lanes + j);
            }
        }
        float* out8 = stackalloc float[8];
        for (int ty = 0; ty < rows; ty++)
            for (int col = 0; col < 4; col++)
            {
                float* r0 = h + (long)(2 * ty) * 4 * lanes + col * lanes;
                long rowStride = 4L * lanes;
                for (int j = 0; j < tw; j += 8)
                {
                    var d0 = Vector256.Load(r0 + j);
                    var d1 = Vector256.Load(r0 + rowStride + j);
                    var d2 = Vector256.Load(r0 + 2 * rowStride + j);
                    var d3 = Vector256.Load(r0 + 3 * rowStride + j);
                    float* dst = v + (long)ty * tw + j + col * step;
                    int count = Math.Min(8, tw - j);
                    Conv2dWinograd.StoreTiles(d0 - d2, dst, count, out8);
                    Conv2dWinograd.StoreTiles(d1 + d2, dst + 4 * step, count, out8);
                    Conv2dWinograd.StoreTiles(d2 - d1, dst + 8 * step, count, out8);
                    Conv2dWinograd.StoreTiles(d1 - d3, dst + 12 * step, count, out8);
                }
            }
    }

    /// <summary>
    /// Output channel k's tile rows [ty0, ty0 + rows) from its products (position ξ of tile t at m[ξ·step + t]): Y = Aᵀ M A + bias
    /// into yk [OH, OW], 8 tiles at a time, the even and odd output columns interleaved through a small buffer.
    /// </summary>
    public static void TransformOutput(float* m, long step, float bias, float* yk, in Conv2dGeometry g, int ty0, int rows)
    {
        int tw = (g.OW + 1) / 2;
        var b = Vector256.Create(bias);
        float* pair = stackalloc float[32]; // Y00, Y01, Y10, Y11 of 8 tiles
        for (int ty = 0; ty < rows; ty++)
        {
            int oy = 2 * (ty0 + ty);
            float* y0 = yk + (long)oy * g.OW;
            bool second = oy + 1 < g.OH;
            for (int j = 0; j < tw; j += 8)
            {
                float* mt = m + (long)ty * tw + j;
                // Aᵀ M: s0 = M0 + M1 + M2, s1 = M1 − M2 − M3 (rows i of the 4 × 4 block), for each column c.
                Vector256<float> s00, s01, s02, s03, s10, s11, s12, s13;
                Columns(mt, step, 0, out s00, out s10);
                Columns(mt, step, 1, out s01, out s11);
                Columns(mt, step, 2, out s02, out s12);
                Columns(mt, step, 3, out s03, out s13);
                (s00 + s01 + s02 + b).Store(pair);
                (s01 - s02 - s03 + b).Store(pair + 8);
                (s10 + s11 + s12 + b).Store(pair + 16);
                (s11 - s12 - s13 + b).Store(pair + 24);
                Conv2dWinograd.StoreOutputTiles(pair, y0, j, Math.Min(8, tw - j), g.OW, second);
            }
        }
    }

    /// <summary>Column c of Aᵀ M for 8 tiles: s0 = M[0,c] + M[1,c] + M[2,c], s1 = M[1,c] − M[2,c] − M[3,c].</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    static void Columns(float* mt, long step, int c, out Vector256<float> s0, out Vector256<float> s1)
    {
        var m0 = Vector256.Load(mt + c * step);
        var m1 = Vector256.Load(mt + (4 + c) * step);
        var m2 = Vector256.Load(mt + (8 + c) * step);
        var m3 = Vector256.Load(mt + (12 + c) * step);
        s0 = m0 + m1 + m2;
        s1 = m1 - m2 - m3;
    }
}
