using System.Runtime.Intrinsics;
using IlgpuVq.Kernels;

namespace IlgpuVq.Engine.Native;

/// <summary>
/// The transforms of Winograd's F(2×2, 2×2) for <see cref="Conv2dWinograd"/>: 3×3 input tiles at a stride of 2, 9 positions,
/// 9 products per 2×2 outputs instead of 16. Bᵀ = [1 −1 0; 0 1 0; 0 −1 1], G = [1 0; 1 1; 0 1], Aᵀ = [1 1 0; 0 1 1]: only
/// additions and subtractions, exact in the kernel transform. The 2×2 convolutions it runs are the space-to-depth form of the
/// 4×4 stride-2 ones (<see cref="Conv2dSpaceToDepth"/>). Along an axis, 1-D: y0 = m0 + m1, y1 = m1 + m2 with
/// m0 = (d0 − d1)·g0, m1 = d1·(g0 + g1), m2 = (d2 − d1)·g1.
/// </summary>
internal readonly unsafe struct WinogradTiles2x2 : IWinogradTiles
{
    public static int TileRows => 3;
    public static int TileCols => 3;
    public static float[] KernelRows => WinogradPasses.G2;
    public static float[] KernelCols => WinogradPasses.G2;

    /// <summary>
    /// Output channel k's tile rows [ty0, ty0 + rows) from its products (position ξ of tile t at m[ξ·step + t]): Y = Aᵀ M A + bias
    /// into yk [OH, OW], 8 tiles at a time.
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
            for (int j = 0; j < tw; j += 8)
            {
                float* mt = m + (long)ty * tw + j;
                // Aᵀ M: s0 = M0 + M1, s1 = M1 + M2 (rows i of the 3 × 3 block), for each column c; then the same along the row.
                var m0 = Vector256.Load(mt);
                var m1 = Vector256.Load(mt + step);
                var m2 = Vector256.Load(mt + 2 * step);
                var m3 = Vector256.Load(mt + 3 * step);
                var m4 = Vector256.Load(mt + 4 * step);
                var m5 = Vector256.Load(mt + 5 * step);
                var m6 = Vector256.Load(mt + 6 * step);
                var m7 = Vector256.Load(mt + 7 * step);
                var m8 = Vector256.Load(mt + 8 * step);
                Vector256<float> s00 = m0 + m3, s01 = m1 + m4, s02 = m2 + m5, s10 = m3 + m6, s11 = m4 + m7, s12 = m5 + m8;
                (s00 + s01 + b).Store(pair);
                (s01 + s02 + b).Store(pair + 8);
                (s10 + s11 + b).Store(pair + 16);
                (s11 + s12 + b).Store(pair + 24);
                Conv2dWinograd.StoreOutputTiles(pair, y0, j, Math.Min(8, tw - j), g.OW, oy + 1 < g.OH);
            }
        }
    }
}
