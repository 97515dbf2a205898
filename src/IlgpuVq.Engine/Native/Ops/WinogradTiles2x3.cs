using System.Runtime.Intrinsics;
using IlgpuVq.Kernels;

namespace IlgpuVq.Engine.Native;

/// <summary>
/// The transforms of Winograd's F(2×2, 2×3) for <see cref="Conv2dWinograd"/>: 2-row, 3-column kernels (the Gated PixelCNN's
/// vertical-stack convolutions at kernel 3) from 3×4 input tiles at a stride of 2, 12 positions ξ = 4i + j, 12 products per
/// 2×2 outputs instead of 24. Down the rows it is F(2, 2) (<see cref="WinogradTiles2x2"/>: Bᵀ = [1 −1 0; 0 1 0; 0 −1 1],
/// G = [1 0; 1 1; 0 1], Aᵀ = [1 1 0; 0 1 1]), along the columns F(2, 3) (<see cref="WinogradTiles3x3"/>:
/// Bᵀ = [1 0 −1 0; 0 1 1 0; 0 −1 1 0; 0 1 0 −1], G = [1 0 0; ½ ½ ½; ½ −½ ½; 0 0 1], Aᵀ = [1 1 1 0; 0 1 −1 −1]).
/// </summary>
internal readonly unsafe struct WinogradTiles2x3 : IWinogradTiles
{
    public static int TileRows => 3;
    public static int TileCols => 4;
    public static float[] KernelRows => WinogradPasses.G2;
    public static float[] KernelCols => WinogradPasses.G3;

    /// <summary>
    /// Output channel k's tile rows [ty0, ty0 + rows) from its products (position ξ of tile t at m[ξ·step + t]):
    /// Y = A_hᵀ M A_w + bias into yk [OH, OW], 8 tiles at a time.
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
                // A_hᵀ M: s0 = M0 + M1, s1 = M1 + M2 (rows of the 3 × 4 block) for each column c; then A_w along the row.
                Vector256<float> s00, s01, s02, s03, s10, s11, s12, s13;
                Column(mt, step, 0, out s00, out s10);
                Column(mt, step, 1, out s01, out s11);
                Column(mt, step, 2, out s02, out s12);
                Column(mt, step, 3, out s03, out s13);
                (s00 + s01 + s02 + b).Store(pair);
                (s01 - s02 - s03 + b).Store(pair + 8);
                (s10 + s11 + s12 + b).Store(pair + 16);
                (s11 - s12 - s13 + b).Store(pair + 24);
                Conv2dWinograd.StoreOutputTiles(pair, y0, j, Math.Min(8, tw - j), g.OW, oy + 1 < g.OH);
            }
        }
    }

    /// <summary>Column c of A_hᵀ M for 8 tiles: s0 = M[0,c] + M[1,c], s1 = M[1,c] + M[2,c].</summary>
    static void Column(float* mt, long step, int c, out Vector256<float> s0, out Vector256<float> s1)
    {
        var m0 = Vector256.Load(mt + c * step);
        var m1 = Vector256.Load(mt + (4 + c) * step);
        var m2 = Vector256.Load(mt + (8 + c) * step);
        s0 = m0 + m1;
        s1 = m1 + m2;
    }
}
