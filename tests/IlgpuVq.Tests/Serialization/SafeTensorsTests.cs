using System.Buffers.Binary;
using System.Text;
using IlgpuVq.Engine.Serialization;

namespace IlgpuVq.Tests.Serialization;

public class SafeTensorsTests : IDisposable
{
    readonly string dir = Directory.CreateTempSubdirectory("ilgpuvq-st-").FullName;
    public void Dispose() => Directory.Delete(dir, recursive: true);

    static List<HostTensor> Sample() =>
    [
        new("encoder.conv1.weight", [2, 3, 1, 1], [1f, -2f, 3.5f, float.Epsilon, -0f, 1e30f], null),
        new("quantizer.usage", [4], null, [0, 7, -1, int.MaxValue]),
        new("empty", [0, 3], [], null),
    ];

    [Fact]
    public void RoundTripPreservesNamesShapesValuesAndMetadata()
    {
        var path = Path.Combine(dir, "m.safetensors");
        SafeTensors.Write(path, Sample(), new Dictionary<string, string> { ["epoch"] = "3" });
        var (tensors, meta) = SafeTensors.Read(path);
        Assert.Equal("3", meta["epoch"]);
        foreach (var t in Sample())
        {
            var r = tensors[t.Name];
            Assert.Equal(t.Shape, r.Shape);
            if (t.Floats != null) Assert.Equal(t.Floats, r.Floats!);
            else Assert.Equal(t.Ints!, r.Ints!);
        }
    }

    [Fact]
    public void HeaderIsPyTorchCompatible()
    {
        var path = Path.Combine(dir, "m.safetensors");
        SafeTensors.Write(path, Sample());
        var bytes = File.ReadAllBytes(path);
        var n = (int)BinaryPrimitives.ReadUInt64LittleEndian(bytes);
        Assert.Equal(0, n % 8);
        var header = Encoding.UTF8.GetString(bytes, 8, n);
        Assert.Contains("\"encoder.conv1.weight\":{\"dtype\":\"F32\",\"shape\":[2,3,1,1],\"data_offsets\":[", header);
        Assert.Contains("\"dtype\":\"I32\"", header);
        Assert.Equal(8 + n + 4 * (6 + 4), bytes.Length);
    }

    [Fact]
    public void TruncatedFileIsAClearError()
    {
        var path = Path.Combine(dir, "m.safetensors");
        SafeTensors.Write(path, Sample());
        var bytes = File.ReadAllBytes(path);
        File.WriteAllBytes(path, bytes[..^5]);
        var e = Assert.Throws<CheckpointException>(() => SafeTensors.Read(path));
        Assert.Contains("truncated", e.Message);
        Assert.Contains("quantizer.usage", e.Message); // the last tensor in the file is the one cut off
    }

    [Fact]
    public void NotASafetensorsFileIsAClearError()
    {
        var path = Path.Combine(dir, "x.safetensors");
        File.WriteAllText(path, "this is a text file, not a checkpoint at all");
        var e = Assert.Throws<CheckpointException>(() => SafeTensors.Read(path));
        Assert.Contains("not a safetensors file", e.Message);
        File.WriteAllBytes(path, [1, 2, 3]);
        Assert.Contains("too short", Assert.Throws<CheckpointException>(() => SafeTensors.Read(path)).Message);
    }

    [Fact]
    public void HugeHeaderLengthIsRejectedBeforeAllocating()
    {
        var path = Path.Combine(dir, "h.safetensors");
        var bytes = new byte[16];
        BinaryPrimitives.WriteUInt64LittleEndian(bytes, ulong.MaxValue / 2);
        File.WriteAllBytes(path, bytes);
        Assert.Contains("header length", Assert.Throws<CheckpointException>(() => SafeTensors.Read(path)).Message);
    }

    [Fact]
    public void OffsetsOutsideTheDataAreRejected()
    {
        var path = Path.Combine(dir, "o.safetensors");
        var header = Encoding.UTF8.GetBytes("{\"w\":{\"dtype\":\"F32\",\"shape\":[1000000],\"data_offsets\":[0,4000000]}}");
        var bytes = new byte[8 + header.Length + 8];
        BinaryPrimitives.WriteUInt64LittleEndian(bytes, (ulong)header.Length);
        header.CopyTo(bytes, 8);
        File.WriteAllBytes(path, bytes);
        var e = Assert.Throws<CheckpointException>(() => SafeTensors.Read(path));
        Assert.Contains("'w'", e.Message);
    }
}
