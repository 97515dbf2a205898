namespace IlgpuVq.Data.Tests;

/// <summary>Every source pixel format becomes 8-bit RGB: grey, 16-bit, palette, CMYK; alpha is composited on black.</summary>
public class ColourConversionTests
{
    const int W = 4, H = 2;

    /// <summary>Decodes a file at its own size (2×2 centre of a 4×2 image) and returns the RGB of the left and right pixel of row 0.</summary>
    static (byte[] Left, byte[] Right) DecodeCentre(string path)
    {
        var rgb = new byte[2 * 2 * 3];
        Assert.True(ImageDecoder.TryDecodeSquare(path, 2, DataOptions.DefaultMaxPixels, rgb, out var error), error);
        return (rgb[..3], rgb[3..6]);
    }

    static string Write(TempDir tmp, string name, byte[] bytes)
    {
        var path = tmp.Sub(name);
        File.WriteAllBytes(path, bytes);
        return path;
    }

    [Fact]
    public void Grey_8_bit_png_becomes_equal_rgb_channels()
    {
        using var tmp = new TempDir();
        // Columns 0..3: 10, 77, 200, 250; the 2×2 centre holds 77 and 200.
        var path = Write(tmp, "grey.png", PngBytes.Encode(W, H, PngBytes.Grey, 8, [10, 77, 200, 250, 10, 77, 200, 250]));
        var (left, right) = DecodeCentre(path);
        Assert.Equal(new byte[] { 77, 77, 77 }, left);
        Assert.Equal(new byte[] { 200, 200, 200 }, right);
    }

    [Fact]
    public void Sixteen_bit_png_keeps_the_high_byte_value()
    {
        using var tmp = new TempDir();
        // 16-bit RGB, big-endian samples; v * 257 is exactly the 8-bit value v in 16 bits.
        var row = new List<byte>();
        foreach (var (r, g, b) in new[] { (0, 0, 0), (200, 100, 50), (30, 60, 90), (0, 0, 0) })
            foreach (var v in new[] { r, g, b }) { var s = v * 257; row.Add((byte)(s >> 8)); row.Add((byte)s); }
        var path = Write(tmp, "rgb16.png", PngBytes.Encode(W, H, PngBytes.Rgb, 16, [.. row, .. row]));
        var (left, right) = DecodeCentre(path);
        Assert.Equal(new byte[] { 200, 100, 50 }, left);
        Assert.Equal(new byte[] { 30, 60, 90 }, right);

        var grey16 = Write(tmp, "grey16.png", PngBytes.Encode(W, H, PngBytes.Grey, 16, [0, 0, 0x80, 0x80, 0xFF, 0xFF, 0, 0, 0, 0, 0x80, 0x80, 0xFF, 0xFF, 0, 0]));
        var (gl, gr) = DecodeCentre(grey16);
        Assert.Equal(new byte[] { 128, 128, 128 }, gl);
        Assert.Equal(new byte[] { 255, 255, 255 }, gr);
    }

    [Fact]
    public void Palette_png_is_looked_up_and_its_transparent_entry_becomes_black()
    {
        using var tmp = new TempDir();
        byte[] palette = [10, 20, 30, 250, 0, 0, 0, 200, 100];
        byte[] alpha = [255, 255, 0];   // entry 2 fully transparent
        var path = Write(tmp, "palette.png", PngBytes.Encode(W, H, PngBytes.Palette, 8, [2, 0, 1, 2, 2, 0, 1, 2], palette, alpha));
        var (left, right) = DecodeCentre(path);
        Assert.Equal(new byte[] { 10, 20, 30 }, left);
        Assert.Equal(new byte[] { 250, 0, 0 }, right);

        var rgb = new byte[1 * 1 * 3];
        var transparentOnly = Write(tmp, "t.png", PngBytes.Encode(1, 1, PngBytes.Palette, 8, [2], palette, alpha));
        Assert.True(ImageDecoder.TryDecodeSquare(transparentOnly, 1, DataOptions.DefaultMaxPixels, rgb, out var error), error);
        Assert.Equal(new byte[] { 0, 0, 0 }, rgb);
    }

    [Fact]
    public void Alpha_is_composited_on_black()
    {
        using var tmp = new TempDir();
        // RGBA: opaque (200,100,50) and half-transparent (200,100,50,128) → (100,50,25) on black.
        byte[] row = [0, 0, 0, 255, 200, 100, 50, 255, 200, 100, 50, 128, 0, 0, 0, 255];
        var (left, right) = DecodeCentre(Write(tmp, "rgba.png", PngBytes.Encode(W, H, PngBytes.Rgba, 8, [.. row, .. row])));
        Assert.Equal(new byte[] { 200, 100, 50 }, left);
        foreach (var (got, want) in right.Zip(new byte[] { 100, 50, 25 })) Assert.InRange(got, want - 1, want + 1);

        // Grey + alpha: 240 at alpha 0 is black, 240 at alpha 255 stays 240.
        var (gl, gr) = DecodeCentre(Write(tmp, "greya.png", PngBytes.Encode(W, H, PngBytes.GreyAlpha, 8, [9, 255, 240, 0, 240, 255, 9, 255, 9, 255, 240, 0, 240, 255, 9, 255])));
        Assert.Equal(new byte[] { 0, 0, 0 }, gl);
        Assert.Equal(new byte[] { 240, 240, 240 }, gr);
    }

    [Fact]
    public void Cmyk_and_grey_jpegs_become_rgb()
    {
        // Fixture files written by ImageMagick: 16×8, left half red and right half blue (CMYK with an Adobe marker),
        // and left half grey 40, right half grey 200 (single-channel JPEG).
        var fixtures = Path.Combine(AppContext.BaseDirectory, "fixtures");
        var rgb = new byte[8 * 8 * 3];
        Assert.True(ImageDecoder.TryDecodeSquare(Path.Combine(fixtures, "cmyk-red-blue.jpg"), 8, DataOptions.DefaultMaxPixels, rgb, out var error), error);
        var (r0, g0, b0) = (rgb[0], rgb[1], rgb[2]);                       // row 0, column 0 of the central 8×8: red
        var (r1, g1, b1) = (rgb[7 * 3], rgb[7 * 3 + 1], rgb[7 * 3 + 2]);   // column 7: blue
        Assert.True(r0 > 200 && g0 < 70 && b0 < 70, $"CMYK red decoded as ({r0},{g0},{b0})");
        Assert.True(b1 > 200 && r1 < 70 && g1 < 70, $"CMYK blue decoded as ({r1},{g1},{b1})");

        Assert.True(ImageDecoder.TryDecodeSquare(Path.Combine(fixtures, "grey-dark-light.jpg"), 8, DataOptions.DefaultMaxPixels, rgb, out error), error);
        Assert.Equal(rgb[0], rgb[1]);
        Assert.Equal(rgb[1], rgb[2]);
        Assert.InRange(rgb[0], 35, 45);
        Assert.InRange(rgb[7 * 3], 195, 205);
    }
}
