using System.Numerics;

namespace IlgpuVq.Data;

/// <summary>
/// The look of one synthetic lesion — shape, border, palette and dermoscopic texture — drawn from the class and a
/// seed. Several images of the same lesion share a recipe and differ by their <see cref="LesionView"/>.
/// Lengths are in units of the image's shorter side (the image spans −0.5 … 0.5).
/// </summary>
internal sealed class LesionRecipe
{
    public int Class;
    public uint NoiseSeed;
    public Vector3 Skin;
    public float Radius, Aspect, Orientation, Softness, BorderNoise, Warp, Opacity;
    public readonly float[] Harmonics = new float[5], PhaseCos = new float[5], PhaseSin = new float[5];
    public Vector2 PigmentOffset;
    public float PigmentGamma;
    public Vector3 Center, Edge, Secondary, Tertiary;
    public float Blotch, BlotchScale, Blotch2;
    public float Network, NetworkFreq;
    public float Dots, DotFreq, DotSize;
    public Vector3 DotColor;
    public float Scale;
    public Vector3 ScaleColor;
    public float Lacunae, LacunaFreq;
    public Vector3 LacunaColor, SeptaColor;
    public float Scar;
    public Vector3 ScarColor;
    public float Erythema;
    public Strand[] Vessels = [];

    static Vector3 Rgb(int r, int g, int b) => new(r / 255f, g / 255f, b / 255f);

    static Vector3 Jitter(ref CounterRng rng, Vector3 c, float amount) =>
        Vector3.Clamp(c * (1 + rng.Uniform(-amount, amount)) + new Vector3(rng.Uniform(-0.03, 0.03), rng.Uniform(-0.03, 0.03), rng.Uniform(-0.03, 0.03)),
                      Vector3.Zero, Vector3.One);

    /// <summary>The recipe of lesion number <paramref name="lesion"/> of class <paramref name="cls"/>.</summary>
    public static LesionRecipe Create(int seed, int lesion, int cls)
    {
        var rng = new CounterRng(RngStreams.SynthLesion, seed, lesion);
        var r = new LesionRecipe { Class = cls, NoiseSeed = (uint)rng.NextULong() };
        var tone = (float)rng.NextDouble();
        r.Skin = Vector3.Lerp(Rgb(236, 196, 176), Rgb(196, 146, 114), tone) * rng.Uniform(0.96, 1.04);
        r.Orientation = rng.Uniform(0, MathF.PI);
        r.Opacity = rng.Uniform(0.9, 1.0);
        var irregular = 0.04f;
        switch (LesionClasses.Names[cls])
        {
            case "nv":
                r.Radius = rng.Uniform(0.19, 0.29); r.Aspect = rng.Uniform(0.8, 1); irregular = 0.035f;
                r.BorderNoise = 0.03f; r.Warp = 0.08f; r.Softness = rng.Uniform(0.1, 0.22);
                r.PigmentOffset = Offset(ref rng, 0.12f); r.PigmentGamma = rng.Uniform(0.6, 1.0);
                r.Center = Jitter(ref rng, Rgb(92, 58, 38), 0.15f); r.Edge = Jitter(ref rng, Rgb(146, 100, 70), 0.1f);
                r.Secondary = Rgb(76, 48, 32); r.Blotch = rng.Uniform(0.1, 0.35); r.BlotchScale = 5;
                r.Network = rng.Uniform(0.2, 0.35); r.NetworkFreq = rng.Uniform(14, 18);
                r.Dots = rng.Uniform(0, 0.5); r.DotFreq = 14; r.DotSize = 0.25f; r.DotColor = Rgb(70, 44, 30);
                break;
            case "mel":
                r.Radius = rng.Uniform(0.25, 0.36); r.Aspect = rng.Uniform(0.65, 0.95); irregular = rng.Uniform(0.09, 0.15);
                r.BorderNoise = 0.09f; r.Warp = 0.16f; r.Softness = rng.Uniform(0.05, 0.15);
                r.PigmentOffset = Offset(ref rng, 0.35f); r.PigmentGamma = rng.Uniform(0.5, 0.9);
                r.Center = Jitter(ref rng, Rgb(50, 32, 28), 0.2f); r.Edge = Jitter(ref rng, Rgb(128, 84, 58), 0.12f);
                r.Secondary = Rgb(96, 102, 124); r.Blotch = rng.Uniform(0.4, 0.7); r.BlotchScale = 4.5f;
                r.Tertiary = Rgb(182, 112, 104); r.Blotch2 = rng.Uniform(0.2, 0.5);
                r.Network = rng.Uniform(0.3, 0.45); r.NetworkFreq = rng.Uniform(10, 15);
                r.Dots = rng.Uniform(0.3, 0.6); r.DotFreq = 16; r.DotSize = 0.22f; r.DotColor = Rgb(28, 18, 16);
                break;
            case "bkl":
                r.Radius = rng.Uniform(0.21, 0.32); r.Aspect = rng.Uniform(0.7, 1); irregular = 0.06f;
                r.BorderNoise = 0.05f; r.Warp = 0.1f; r.Softness = rng.Uniform(0.06, 0.18);
                r.PigmentOffset = Offset(ref rng, 0.2f); r.PigmentGamma = rng.Uniform(0.8, 1.4);
                r.Center = Jitter(ref rng, Rgb(128, 94, 66), 0.15f); r.Edge = Jitter(ref rng, Rgb(170, 130, 96), 0.1f);
                r.Secondary = Rgb(100, 72, 48); r.Blotch = rng.Uniform(0.2, 0.45); r.BlotchScale = 6;
                r.Scale = rng.Uniform(0.35, 0.6); r.ScaleColor = Rgb(222, 204, 170);
                r.Dots = rng.Uniform(0.2, 0.5); r.DotFreq = 11; r.DotSize = 0.2f; r.DotColor = Rgb(228, 220, 200);
                break;
            case "bcc":
                r.Radius = rng.Uniform(0.18, 0.28); r.Aspect = rng.Uniform(0.75, 1); irregular = 0.07f;
                r.BorderNoise = 0.06f; r.Warp = 0.1f; r.Softness = rng.Uniform(0.15, 0.25); r.Opacity = rng.Uniform(0.85, 0.95);
                r.PigmentOffset = Offset(ref rng, 0.2f); r.PigmentGamma = 1.2f;
                r.Center = Jitter(ref rng, Rgb(196, 134, 128), 0.08f); r.Edge = Jitter(ref rng, Rgb(208, 156, 146), 0.06f);
                r.Secondary = Rgb(84, 88, 104); r.Blotch = rng.Uniform(0.2, 0.45); r.BlotchScale = 6;
                r.Dots = rng.Uniform(0.5, 0.8); r.DotFreq = 7; r.DotSize = 0.3f; r.DotColor = Rgb(78, 82, 100);
                r.Erythema = rng.Uniform(0.1, 0.3);
                r.Vessels = Enumerable.Range(0, 2 + rng.NextInt(3)).Select(_ => Strand.Vessel(ref rng, r.Radius)).ToArray();
                break;
            case "akiec":
                r.Radius = rng.Uniform(0.19, 0.3); r.Aspect = rng.Uniform(0.7, 1); irregular = 0.08f;
                r.BorderNoise = 0.07f; r.Warp = 0.14f; r.Softness = rng.Uniform(0.28, 0.42);
                r.PigmentOffset = Offset(ref rng, 0.25f); r.PigmentGamma = 0.8f;
                r.Center = Jitter(ref rng, Rgb(172, 92, 82), 0.1f); r.Edge = Jitter(ref rng, Rgb(198, 126, 110), 0.08f);
                r.Secondary = Rgb(124, 80, 62); r.Blotch = rng.Uniform(0.2, 0.4); r.BlotchScale = 5;
                r.Scale = rng.Uniform(0.4, 0.65); r.ScaleColor = Rgb(236, 222, 200);
                r.Dots = rng.Uniform(0.2, 0.45); r.DotFreq = 18; r.DotSize = 0.18f; r.DotColor = Rgb(150, 40, 44);
                r.Erythema = rng.Uniform(0.25, 0.45);
                break;
            case "df":
                r.Radius = rng.Uniform(0.14, 0.21); r.Aspect = rng.Uniform(0.8, 1); irregular = 0.03f;
                r.BorderNoise = 0.03f; r.Warp = 0.08f; r.Softness = rng.Uniform(0.3, 0.45);
                r.PigmentOffset = Offset(ref rng, 0.1f); r.PigmentGamma = 0.7f;
                r.Center = Jitter(ref rng, Rgb(132, 92, 66), 0.1f); r.Edge = Jitter(ref rng, Rgb(156, 112, 82), 0.08f);
                r.Secondary = Rgb(120, 84, 60); r.Blotch = 0.15f; r.BlotchScale = 6;
                r.Network = rng.Uniform(0.2, 0.35); r.NetworkFreq = rng.Uniform(13, 16);
                r.Scar = rng.Uniform(0.75, 0.95); r.ScarColor = Jitter(ref rng, Rgb(234, 218, 206), 0.04f);
                break;
            default: // vasc
                r.Radius = rng.Uniform(0.12, 0.21); r.Aspect = rng.Uniform(0.75, 1); irregular = 0.04f;
                r.BorderNoise = 0.04f; r.Warp = 0.08f; r.Softness = rng.Uniform(0.05, 0.12);
                r.PigmentOffset = Offset(ref rng, 0.15f); r.PigmentGamma = 0.8f;
                r.Center = Jitter(ref rng, Rgb(116, 28, 52), 0.12f); r.Edge = Jitter(ref rng, Rgb(168, 58, 78), 0.1f);
                r.Secondary = Rgb(70, 22, 48); r.Blotch = rng.Uniform(0.2, 0.4); r.BlotchScale = 5;
                r.Lacunae = rng.Uniform(0.6, 0.9); r.LacunaFreq = rng.Uniform(11, 16);
                r.LacunaColor = Rgb(112, 18, 44); r.SeptaColor = Rgb(206, 132, 140);
                r.Erythema = rng.Uniform(0.05, 0.2);
                break;
        }
        for (var k = 0; k < 5; k++)
        {
            r.Harmonics[k] = irregular * rng.Uniform(0.3, 1.0) / MathF.Pow(k + 2, 0.6f);
            var phase = rng.Uniform(0, 2 * MathF.PI);
            r.PhaseCos[k] = MathF.Cos(phase);
            r.PhaseSin[k] = MathF.Sin(phase);
        }
        return r;
    }

    static Vector2 Offset(ref CounterRng rng, float amount)
    {
        var a = rng.Uniform(0, 2 * Math.PI);
        var m = rng.Uniform(0.3, 1.0) * amount;
        return new Vector2(MathF.Cos(a) * m, MathF.Sin(a) * m);
    }
}

/// <summary>How one image shows a lesion: pose, lighting, hair, vignetting and the dermatoscope's field of view.</summary>
internal sealed class LesionView
{
    public float Rotation, Zoom, Brightness;
    public Vector2 Shift;
    public Vector3 Tint;
    public float Vignette, ScopeRadius;
    public Strand[] Hairs = [];

    /// <summary>The view of image number <paramref name="image"/>.</summary>
    public static LesionView Create(int seed, int image)
    {
        var rng = new CounterRng(RngStreams.SynthView, seed, image);
        var v = new LesionView
        {
            Rotation = rng.Uniform(0, 2 * Math.PI),
            Zoom = rng.Uniform(0.9, 1.1),
            Shift = new Vector2(rng.Uniform(-0.06, 0.06), rng.Uniform(-0.06, 0.06)),
            Brightness = rng.Uniform(0.93, 1.07),
            Tint = new Vector3(1 + rng.Uniform(-0.03, 0.03), 1 + rng.Uniform(-0.03, 0.03), 1 + rng.Uniform(-0.04, 0.04)),
            Vignette = rng.Chance(0.35) ? rng.Uniform(0.25, 0.6) : 0,
            ScopeRadius = rng.Chance(0.12) ? rng.Uniform(0.55, 0.68) : 0,
        };
        if (rng.Chance(0.3)) v.Hairs = Enumerable.Range(0, 1 + rng.NextInt(4)).Select(_ => Strand.Hair(ref rng)).ToArray();
        return v;
    }
}

/// <summary>A thin curved line (a hair or a vessel) as a polyline with a width and a colour.</summary>
internal sealed class Strand
{
    public Vector2[] Points = [];
    public float Width;
    public Vector3 Color;
    public Vector2 Min, Max;

    static Strand Walk(ref CounterRng rng, Vector2 start, float heading, float step, int n, float bend, float width, Vector3 color)
    {
        var pts = new Vector2[n];
        pts[0] = start;
        var turn = rng.Uniform(-bend, bend);
        for (var i = 1; i < n; i++)
        {
            turn = Math.Clamp(turn + rng.Uniform(-bend, bend) * 0.5f, -bend, bend);
            heading += turn;
            pts[i] = pts[i - 1] + step * new Vector2(MathF.Cos(heading), MathF.Sin(heading));
        }
        var s = new Strand { Points = pts, Width = width, Color = color };
        s.Min = pts.Aggregate(Vector2.Min) - new Vector2(width + 0.02f);
        s.Max = pts.Aggregate(Vector2.Max) + new Vector2(width + 0.02f);
        return s;
    }

    /// <summary>A dark hair crossing the image.</summary>
    public static Strand Hair(ref CounterRng rng)
    {
        var a = rng.Uniform(0, 2 * Math.PI);
        var start = new Vector2(MathF.Cos(a), MathF.Sin(a)) * 0.6f + new Vector2(rng.Uniform(-0.2, 0.2), rng.Uniform(-0.2, 0.2));
        var heading = a + MathF.PI + rng.Uniform(-0.7, 0.7);
        var shade = rng.Uniform(0.06, 0.22);
        return Walk(ref rng, start, heading, 0.13f, 11, 0.12f, rng.Uniform(0.0035, 0.0075), new Vector3(shade, shade * 0.8f, shade * 0.65f));
    }

    /// <summary>A thin red vessel inside a lesion of the given radius.</summary>
    public static Strand Vessel(ref CounterRng rng, float radius)
    {
        var start = new Vector2(rng.Uniform(-0.6, 0.6), rng.Uniform(-0.6, 0.6)) * radius;
        return Walk(ref rng, start, rng.Uniform(0, 2 * Math.PI), radius * 0.15f, 7, 0.5f, rng.Uniform(0.003, 0.005),
                    new Vector3(0.62f, 0.12f, 0.16f));
    }

    /// <summary>Coverage in [0, 1] of a pixel at p with the given pixel size (analytic anti-aliasing).</summary>
    public float Coverage(Vector2 p, float pixel)
    {
        if (p.X < Min.X || p.Y < Min.Y || p.X > Max.X || p.Y > Max.Y) return 0;
        var best = float.MaxValue;
        for (var i = 1; i < Points.Length; i++)
        {
            var a = Points[i - 1];
            var ab = Points[i] - a;
            var t = Math.Clamp(Vector2.Dot(p - a, ab) / ab.LengthSquared(), 0f, 1f);
            best = MathF.Min(best, Vector2.DistanceSquared(p, a + t * ab));
        }
        var d = MathF.Sqrt(best);
        // A line thinner than a pixel is drawn one pixel wide with proportionally lower opacity.
        var w = MathF.Max(Width, pixel * 0.5f);
        var opacity = MathF.Min(1, Width / (pixel * 0.5f));
        return opacity * (1 - Noise.SmoothStep(w - pixel * 0.5f, w + pixel * 0.5f, d));
    }
}
