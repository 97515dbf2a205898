using System.Numerics;
using static IlgpuVq.Data.Noise;

namespace IlgpuVq.Data;

/// <summary>Draws a <see cref="LesionRecipe"/> seen through a <see cref="LesionView"/> into RGB bytes, pixel by pixel.</summary>
internal static class LesionRenderer
{
    public static void Render(LesionRecipe r, LesionView v, int width, int height, Span<byte> rgbHWC)
    {
        float unit = Math.Min(width, height);
        var pixel = 1f / unit / v.Zoom;
        float cosV = MathF.Cos(-v.Rotation), sinV = MathF.Sin(-v.Rotation);
        float cosO = MathF.Cos(r.Orientation), sinO = MathF.Sin(r.Orientation);
        var seed = r.NoiseSeed;
        var dark = new Vector3(0.04f, 0.035f, 0.03f);
        for (var py = 0; py < height; py++)
        for (var px = 0; px < width; px++)
        {
            // Image coordinates (shorter side spans -0.5..0.5) and lesion-frame coordinates.
            var u = (px + 0.5f - width * 0.5f) / unit;
            var w = (py + 0.5f - height * 0.5f) / unit;
            float lx0 = u - v.Shift.X, ly0 = w - v.Shift.Y;
            var x = (lx0 * cosV - ly0 * sinV) / v.Zoom;
            var y = (lx0 * sinV + ly0 * cosV) / v.Zoom;

            // Skin: smooth tone variation plus fine texture.
            var skin = r.Skin * (0.93f + 0.14f * Fbm(x * 3.5f + 40, y * 3.5f, seed + 10)) * (0.975f + 0.05f * Value(x * 45, y * 45, seed + 11));

            // Lesion shape: an ellipse with harmonic border irregularity, border noise and a domain warp.
            var xr = x * cosO + y * sinO;
            var yr = (-x * sinO + y * cosO) / r.Aspect;
            var rho = MathF.Sqrt(xr * xr + yr * yr);
            float c1 = rho > 1e-6f ? xr / rho : 1, s1 = rho > 1e-6f ? yr / rho : 0;
            // sin(kθ + φ) for k = 2..6 by the angle-addition recurrence (no trigonometric calls per pixel).
            float ck = c1 * c1 - s1 * s1, sk = 2 * s1 * c1, shape = 1f;
            for (var k = 0; k < 5; k++)
            {
                shape += r.Harmonics[k] * (sk * r.PhaseCos[k] + ck * r.PhaseSin[k]);
                (ck, sk) = (ck * c1 - sk * s1, sk * c1 + ck * s1);
            }
            shape += r.BorderNoise * 2 * (Value(c1 * 3 + 7, s1 * 3 + 7, seed + 12) - 0.5f);
            var radius = r.Radius * shape;
            var d = rho + r.Warp * r.Radius * 2 * (Fbm(x * 6, y * 6, seed + 13) - 0.5f);
            var t = d / radius;
            var aa = pixel / radius;
            var mask = 1 - SmoothStep(1 - r.Softness - aa, 1 + aa, t);

            if (r.Erythema > 0) skin = Vector3.Lerp(skin, skin * new Vector3(1.02f, 0.78f, 0.78f), r.Erythema * (1 - SmoothStep(1.0f, 1.7f, t)));
            var pix = skin;
            if (mask > 0.001f)
            {
                var q = MathF.Min(1, Vector2.Distance(new Vector2(xr, yr), r.PigmentOffset * r.Radius) / radius);
                var depth = MathF.Pow(1 - q, r.PigmentGamma);
                var col = Vector3.Lerp(r.Edge, r.Center, depth);
                if (r.Blotch > 0)
                    col = Vector3.Lerp(col, r.Secondary, r.Blotch * SmoothStep(0.5f, 0.68f, Fbm(x * r.BlotchScale, y * r.BlotchScale, seed + 14)));
                if (r.Blotch2 > 0)
                    col = Vector3.Lerp(col, r.Tertiary, r.Blotch2 * SmoothStep(0.55f, 0.7f, Fbm(x * 5 + 9, y * 5 - 4, seed + 15)) * SmoothStep(0.3f, 0.8f, t));
                if (r.Network > 0)
                {
                    // Pigment network: the borders of a jittered cell pattern (a honeycomb), slightly warped.
                    var wx = 0.6f * (Value(x * 9, y * 9, seed + 16) - 0.5f);
                    var (f1, f2, _) = Cells(x * r.NetworkFreq + wx, y * r.NetworkFreq - wx, seed + 17);
                    var line = 1 - SmoothStep(0.02f, 0.42f, f2 - f1);
                    col *= 1 - r.Network * line * (0.5f + 0.5f * SmoothStep(0.1f, 0.8f, t));
                }
                if (r.Dots > 0)
                {
                    var (dist, _, rnd) = Cells(x * r.DotFreq, y * r.DotFreq, seed + 18);
                    if (rnd < r.Dots * (1.1f - t))
                        col = Vector3.Lerp(col, r.DotColor, 1 - SmoothStep(r.DotSize * 0.6f, r.DotSize * 1.2f, dist));
                }
                if (r.Scale > 0)
                    col = Vector3.Lerp(col, r.ScaleColor, r.Scale * SmoothStep(0.55f, 0.72f, Fbm(x * 13, y * 13, seed + 19)));
                if (r.Lacunae > 0)
                {
                    var (dist, _, _) = Cells(x * r.LacunaFreq, y * r.LacunaFreq, seed + 20);
                    var lacuna = 1 - SmoothStep(0.3f, 0.42f, dist);
                    col = Vector3.Lerp(col, Vector3.Lerp(r.SeptaColor, r.LacunaColor, lacuna), r.Lacunae * (1 - SmoothStep(0.7f, 1.05f, t)));
                }
                if (r.Scar > 0)
                    col = Vector3.Lerp(col, r.ScarColor, r.Scar * (1 - SmoothStep(0.15f, 0.6f, q)) * (0.8f + 0.2f * Fbm(x * 10, y * 10, seed + 21)));
                foreach (var vessel in r.Vessels)
                    col = Vector3.Lerp(col, vessel.Color, vessel.Coverage(new Vector2(xr, yr), pixel) * 0.85f);
                pix = Vector3.Lerp(skin, col, mask * r.Opacity);
            }

            // Hair lies on top in image space; then vignetting, the dermatoscope's round field of view and lighting.
            foreach (var hair in v.Hairs) pix = Vector3.Lerp(pix, hair.Color, hair.Coverage(new Vector2(u, w), 1f / unit));
            var rImage = MathF.Sqrt(u * u + w * w);
            if (v.Vignette > 0) pix *= 1 - v.Vignette * SmoothStep(0.4f, 0.78f, rImage);
            if (v.ScopeRadius > 0) pix = Vector3.Lerp(pix, dark, SmoothStep(v.ScopeRadius - 1f / unit, v.ScopeRadius + 1f / unit, rImage));
            pix *= v.Brightness * v.Tint;

            var o = (py * width + px) * 3;
            rgbHWC[o] = ToByte(pix.X);
            rgbHWC[o + 1] = ToByte(pix.Y);
            rgbHWC[o + 2] = ToByte(pix.Z);
        }
    }

    static byte ToByte(float v) => (byte)Math.Clamp((int)(v * 255f + 0.5f), 0, 255);
}
