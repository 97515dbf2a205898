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
    public static int TileRows => 4;
    public static int TileCols => 4;

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
