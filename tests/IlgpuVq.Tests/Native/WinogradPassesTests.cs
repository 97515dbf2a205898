using IlgpuVq.Engine.Native;
using IlgpuVq.Kernels;

namespace IlgpuVq.Tests.Native;

/// <summary>
/// The register forms of the Winograd input transform (<see cref="WinogradPasses.Input"/> on AVX2 and AVX-512: one compiled
/// form per shape and input op) against the buffered form (<see cref="WinogradPasses.InputBuffered"/>), bit for bit and
/// store for store: every shape (3×3, 2×2 — the space-to-depth form — and 2×3), with and without the fused ReLU, widths of
/// one to three groups of 8 tiles with tails of 1–7 (the masked short stores), padding 0–2, and a second block of tile rows
/// that starts inside the image. Where the machine has no AVX2 both sides are the buffered form; CI runs the native tests
/// with AVX-512 on and off, so both register forms are checked.
/// </summary>
public class WinogradPassesTests
{
    [Theory]
    [InlineData(3, 3, 16, 16, 1, 1, 0)]
    [InlineData(3, 3, 16, 16, 1, 1, 1)]
    [InlineData(3, 3, 13, 21, 1, 1, 1)]
    [InlineData(3, 3, 7, 37, 0, 2, 0)]
    [InlineData(3, 3, 9, 11, 2, 0, 1)]
    [InlineData(3, 3, 33, 33, 1, 1, 1)]
    [InlineData(2, 2, 17, 17, 0, 0, 0)]
    [InlineData(2, 2, 10, 15, 1, 1, 1)]
    [InlineData(2, 3, 8, 13, 1, 1, 0)]
    [InlineData(2, 3, 16, 16, 1, 1, 1)]
    public unsafe void InputInRegistersEqualsTheBufferedForm(int kh, int kw, int h, int w, int pt, int pl, int relu)
    {
        var g = new Conv2dGeometry
        {
            N = 1, Cin = 8, H = h, W = w, Cout = 8, KH = kh, KW = kw, SH = 1, SW = 1, PT = pt, PL = pl,
            OH = h + 2 * pt - kh + 1, OW = w + 2 * pl - kw + 1, ReluInput = relu,
        };
        var t = WinogradTiles.Of(g);
        int th = (g.OH + 1) / 2, tw = (g.OW + 1) / 2, split = th / 2;
        long step = (long)th * tw + 5;
        var rng = new Random(kh * 1000 + w * 10 + relu);
        var x = Enumerable.Range(0, h * w).Select(_ => (float)(rng.NextDouble() * 2 - 1)).ToArray();
        var inRegisters = Enumerable.Repeat(-12345f, (int)(t.Positions * step)).ToArray();
        var buffered = (float[])inRegisters.Clone();
        fixed (float* px = x, pv = inRegisters, pb = buffered)
            foreach (var (ty0, rows) in new[] { (0, split), (split, th - split) })
            {
                if (rows == 0) continue;
                WinogradPasses.Input(px, pv + (long)ty0 * tw, step, g, ty0, rows, t.Rows, t.Cols);
                WinogradPasses.InputBuffered(px, pb + (long)ty0 * tw, step, g, ty0, rows, t.Rows, t.Cols);
            }
        for (int i = 0; i < buffered.Length; i++)
            Assert.True(BitConverter.SingleToInt32Bits(buffered[i]) == BitConverter.SingleToInt32Bits(inRegisters[i]),
                $"v[{i}] (position {i / step}, tile {i % step}): {inRegisters[i]} in registers vs {buffered[i]} buffered");
        Assert.Contains(buffered, v => v != -12345f);
    }
}
