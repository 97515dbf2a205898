namespace IlgpuVq.Data.Tests;

public class AugmentationTests
{
    const int S = 16;

    static float[] Run(byte[] rgb, AugmentParams p)
    {
        var f = new float[3 * S * S];
        Augmentation.Apply(rgb, S, p, f);
        return f;
    }

    static float ChannelMean(float[] chw, int c) => chw.AsSpan(c * S * S, S * S).ToArray().Average();

    [Fact]
    public void A_flat_grey_image_normalises_to_the_same_value_in_every_channel()
    {
        var grey = Fixtures.Flat(S, S, 128, 128, 128);
        var f = new float[3 * S * S];
        Augmentation.Normalize(grey, S, f);
        var expected = (128 / 255f - 0.5f) / 0.5f;
        for (var c = 0; c < 3; c++) Assert.Equal(expected, ChannelMean(f, c), 5);
        Assert.All(f, v => Assert.Equal(expected, v, 5));
        // Colour jitter keeps grey grey: only brightness changes its level.
        var jitter = new AugmentOptions { Brightness = 0.4f, Contrast = 0.4f, Saturation = 0.8f, Hue = 0.3f };
        var a = Run(grey, Augmentation.Draw(jitter, 1, 0, 0));
        Assert.Equal(ChannelMean(a, 0), ChannelMean(a, 1), 2);
        Assert.Equal(ChannelMean(a, 1), ChannelMean(a, 2), 2);
    }

    [Fact]
    public void Normalisation_maps_0_and_255_to_minus_one_and_one_and_augmentation_stays_in_range()
    {
        var rgb = new byte[S * S * 3];
        var rng = new Random(3);
        rng.NextBytes(rgb);
        rgb[0] = 0;
        rgb[1] = 255;
        var plain = Run(rgb, AugmentParams.Identity);
        Assert.Equal(-1f, plain.Min());
        Assert.Equal(1f, plain.Max());
        var strong = new AugmentOptions { Brightness = 0.9f, Contrast = 0.9f, Saturation = 0.9f, Hue = 0.5f };
        for (var i = 0; i < 20; i++)
            Assert.All(Run(rgb, Augmentation.Draw(strong, 9, 0, i)), v => Assert.InRange(v, -1f, 1f));
    }

    [Fact]
    public void Augmentation_is_a_pure_function_of_seed_epoch_and_index()
    {
        var o = AugmentOptions.Default;
        Assert.Equal(Augmentation.Draw(o, 4, 2, 17), Augmentation.Draw(o, 4, 2, 17));
        var epochs = Enumerable.Range(0, 20).Select(e => Augmentation.Draw(o, 4, e, 17)).Distinct().Count();
        var seeds = Enumerable.Range(0, 20).Select(s => Augmentation.Draw(o, s, 2, 17)).Distinct().Count();
        Assert.Equal(20, epochs);
        Assert.Equal(20, seeds);
        var flips = Enumerable.Range(0, 200).Count(i => Augmentation.Draw(o, 4, 0, i).FlipH);
        Assert.InRange(flips, 70, 130);
        Assert.Equal(AugmentParams.Identity, Augmentation.Draw(AugmentOptions.None, 4, 2, 17));
    }

    [Fact]
    public void Flips_mirror_the_image()
    {
        var rgb = Fixtures.Flat(S, S, 0, 0, 0);
        rgb[0] = 255;   // red top-left pixel
        var h = Run(rgb, AugmentParams.Identity with { FlipH = true });
        var v = Run(rgb, AugmentParams.Identity with { FlipV = true });
        Assert.Equal(1f, h[S - 1]);
        Assert.Equal(-1f, h[0]);
        Assert.Equal(1f, v[(S - 1) * S]);
    }

    [Fact]
    public void Jitter_changes_colour_in_the_expected_direction()
    {
        var rgb = Fixtures.Flat(S, S, 100, 150, 200);
        var brighter = Run(rgb, AugmentParams.Identity with { Brightness = 1.2f });
        Assert.True(brighter[0] > Run(rgb, AugmentParams.Identity)[0]);
        var desaturated = Run(rgb, AugmentParams.Identity with { Saturation = 0 });
        Assert.Equal(desaturated[0], desaturated[2 * S * S], 4);
        var hue = Run(rgb, AugmentParams.Identity with { Hue = 0.25f });
        Assert.NotEqual(Run(rgb, AugmentParams.Identity)[0], hue[0]);
    }

    [Fact]
    public void ToBytes_inverts_normalisation()
    {
        var rgb = new byte[S * S * 3];
        new Random(1).NextBytes(rgb);
        var f = new float[rgb.Length];
        Augmentation.Normalize(rgb, S, f);
        var back = new byte[rgb.Length];
        Augmentation.ToBytes(f, S, back);
        Assert.Equal(rgb, back);
    }

    [Fact]
    public void Invalid_ranges_are_rejected()
    {
        Assert.Throws<DataError>(() => new AugmentOptions { Hue = 0.7f }.Validate());
        Assert.Throws<DataError>(() => new AugmentOptions { Brightness = -1 }.Validate());
    }
}
