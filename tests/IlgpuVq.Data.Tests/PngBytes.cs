using System.Buffers.Binary;
using System.IO.Compression;
using System.Text;

namespace IlgpuVq.Data.Tests;

/// <summary>
/// Writes PNG files byte by byte (signature, IHDR, optional PLTE/tRNS, zlib IDAT, IEND with CRC-32) so that tests can
/// make the formats our own encoder does not (grey, 16-bit, palette) and headers that lie about the image size.
/// </summary>
public static class PngBytes
{
    /// <summary>PNG colour types.</summary>
    public const byte Grey = 0, Rgb = 2, Palette = 3, GreyAlpha = 4, Rgba = 6;

    /// <summary>
    /// A PNG of <paramref name="width"/>×<paramref name="height"/> whose raw scanlines (without filter bytes; filter
    /// 0 is added) are <paramref name="pixels"/>; <paramref name="pixels"/> may be shorter than the header implies
    /// (a lying header) and is then stored as is.
    /// </summary>
    public static byte[] Encode(int width, int height, byte colourType, byte bitDepth, byte[] pixels, byte[]? palette = null, byte[]? transparency = null)
    {
        var channels = colourType switch { Grey => 1, Rgb => 3, Palette => 1, GreyAlpha => 2, _ => 4 };
        var rowBytes = (long)width * channels * bitDepth / 8;
        var raw = new MemoryStream();
        for (long offset = 0; offset < pixels.Length; offset += rowBytes)
        {
            raw.WriteByte(0);
            raw.Write(pixels, (int)offset, (int)Math.Min(rowBytes, pixels.Length - offset));
        }
        var zlib = new MemoryStream();
        using (var z = new ZLibStream(zlib, CompressionLevel.Optimal, leaveOpen: true)) z.Write(raw.ToArray());

        var png = new MemoryStream();
        png.Write([0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A]);
        var ihdr = new byte[13];
        BinaryPrimitives.WriteInt32BigEndian(ihdr, width);
        BinaryPrimitives.WriteInt32BigEndian(ihdr.AsSpan(4), height);
        ihdr[8] = bitDepth;
        ihdr[9] = colourType;
        Chunk(png, "IHDR", ihdr);
        if (palette is not null) Chunk(png, "PLTE", palette);
        if (transparency is not null) Chunk(png, "tRNS", transparency);
        Chunk(png, "IDAT", zlib.ToArray());
        Chunk(png, "IEND", []);
        return png.ToArray();
    }

    /// <summary>
    /// A small, valid-looking PNG whose header declares <paramref name="width"/>×<paramref name="height"/> RGB pixels
    /// but whose data holds only one row's worth: nothing of that size is ever allocated here.
    /// </summary>
    public static byte[] LyingHeader(int width, int height) => Encode(width, height, Rgb, 8, new byte[Math.Min(width, 1024) * 3]);

    static void Chunk(Stream s, string type, byte[] data)
    {
        var head = new byte[8];
        BinaryPrimitives.WriteInt32BigEndian(head, data.Length);
        Encoding.ASCII.GetBytes(type, head.AsSpan(4));
        s.Write(head);
        s.Write(data);
        var crcInput = head[4..].Concat(data).ToArray();
        var crc = new byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(crc, Crc32(crcInput));
        s.Write(crc);
    }

    static uint Crc32(byte[] data)
    {
        var crc = 0xFFFFFFFFu;
        foreach (var b in data)
        {
            crc ^= b;
            for (var k = 0; k < 8; k++) crc = (crc & 1) != 0 ? (crc >> 1) ^ 0xEDB88320u : crc >> 1;
        }
        return ~crc;
    }
}
