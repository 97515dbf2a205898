using System.Runtime.CompilerServices;

namespace IlgpuVq.Data;

/// <summary>Hash-based value noise, fractal noise and cell noise for the synthetic lesions (pure functions).</summary>
internal static class Noise
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static uint Hash(int x, int y, uint seed)
    {
        var h = (uint)x * 0x8DA6B343u ^ (uint)y * 0xD8163841u ^ seed * 0xCB1AB31Fu;
        h ^= h >> 15;
        h *= 0x2C1B3C6Du;
        h ^= h >> 12;
        h *= 0x297A2D39u;
        return h ^ (h >> 15);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float Hash01(int x, int y, uint seed) => (Hash(x, y, seed) & 0xFFFFFF) * (1f / 16777216f);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float SmoothStep(float a, float b, float x)
    {
        var t = Math.Clamp((x - a) / (b - a), 0f, 1f);
        return t * t * (3 - 2 * t);
    }

    /// <summary>Smooth value noise in [0, 1] with unit lattice spacing.</summary>
    public static float Value(float x, float y, uint seed)
    {
        var fx = MathF.Floor(x);
        var fy = MathF.Floor(y);
        int ix = (int)fx, iy = (int)fy;
        float tx = x - fx, ty = y - fy;
        tx = tx * tx * (3 - 2 * tx);
        ty = ty * ty * (3 - 2 * ty);
        var a = Hash01(ix, iy, seed);
        var b = Hash01(ix + 1, iy, seed);
        var c = Hash01(ix, iy + 1, seed);
        var d = Hash01(ix + 1, iy + 1, seed);
        return a + (b - a) * tx + (c - a) * ty + (a - b - c + d) * tx * ty;
    }

    /// <summary>Three octaves of value noise, in [0, 1].</summary>
    public static float Fbm(float x, float y, uint seed)
    {
        var v = 0.5714f * Value(x, y, seed);
        v += 0.2857f * Value(2.03f * x + 17.1f, 2.03f * y - 3.7f, seed + 1);
        v += 0.1429f * Value(4.01f * x - 9.3f, 4.01f * y + 11.9f, seed + 2);
        return v;
    }

    /// <summary>
    /// Cell noise: distances (in cell units) to the nearest and second-nearest jittered feature points, and the nearest
    /// cell's random value. <c>F2 − F1</c> is small along cell borders (a honeycomb).
    /// </summary>
    public static (float F1, float F2, float Random) Cells(float x, float y, uint seed)
    {
        var fx = MathF.Floor(x);
        var fy = MathF.Floor(y);
        int ix = (int)fx, iy = (int)fy;
        float best = float.MaxValue, second = float.MaxValue;
        var rnd = 0f;
        for (var dy = -1; dy <= 1; dy++)
        for (var dx = -1; dx <= 1; dx++)
        {
            var h = Hash(ix + dx, iy + dy, seed);
            var px = ix + dx + 0.1f + 0.8f * ((h & 0xFFF) / 4096f);
            var py = iy + dy + 0.1f + 0.8f * (((h >> 12) & 0xFFF) / 4096f);
            var d = (x - px) * (x - px) + (y - py) * (y - py);
            if (d < best) { second = best; best = d; rnd = (h >> 24) / 256f; }
            else if (d < second) second = d;
        }
        return (MathF.Sqrt(best), MathF.Sqrt(second), rnd);
    }
}
