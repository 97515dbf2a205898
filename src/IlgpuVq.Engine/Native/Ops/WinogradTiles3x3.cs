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
    public static float[] KernelRows => WinogradPasses.G3;
    public static float[] KernelCols => WinogradPasses.G3;

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
