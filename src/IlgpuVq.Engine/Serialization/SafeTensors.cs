using System.Buffers.Binary;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace IlgpuVq.Engine.Serialization;

/// <summary>A named host tensor as stored in a safetensors file (float32 or int32).</summary>
public sealed record HostTensor(string Name, int[] Shape, float[]? Floats, int[]? Ints)
{
    public string DType => Floats != null ? "F32" : "I32";
    public int Length => Floats?.Length ?? Ints!.Length;
}

/// <summary>A checkpoint file that cannot be used: the message names the file and what is wrong.</summary>
public sealed class CheckpointException(string message) : Exception(message);

/// <summary>
/// Reads and writes the safetensors format so a PyTorch user can open our checkpoints: an 8-byte
/// little-endian header length, a JSON header mapping each name to dtype/shape/data_offsets (plus an
/// optional <c>__metadata__</c> string map), then the raw little-endian data. Writes are atomic (temp file +
/// rename). The reader bounds-checks the header length and every offset before allocating anything.
/// </summary>
public static class SafeTensors
{
    const long MaxHeaderBytes = 100L << 20;

    public static void Write(string path, IEnumerable<HostTensor> tensors, IReadOnlyDictionary<string, string>? metadata = null)
    {
        var list = tensors.OrderBy(t => t.Name, StringComparer.Ordinal).ToList();
        var header = new JsonObject();
        if (metadata is { Count: > 0 })
        {
            var meta = new JsonObject();
            foreach (var (k, v) in metadata.OrderBy(kv => kv.Key, StringComparer.Ordinal)) meta[k] = v;
            header["__metadata__"] = meta;
        }
        long offset = 0;
        foreach (var t in list)
        {
            long bytes = 4L * t.Length;
            header[t.Name] = new JsonObject
            {
                ["dtype"] = t.DType,
                ["shape"] = new JsonArray(t.Shape.Select(d => (JsonNode)d).ToArray()),
                ["data_offsets"] = new JsonArray(offset, offset + bytes),
            };
            offset += bytes;
        }
        var json = Encoding.UTF8.GetBytes(header.ToJsonString());
        var padded = (json.Length + 7) / 8 * 8;
        AtomicFile.Write(path, stream =>
        {
            Span<byte> len = stackalloc byte[8];
            BinaryPrimitives.WriteUInt64LittleEndian(len, (ulong)padded);
            stream.Write(len);
            stream.Write(json);
            for (int i = json.Length; i < padded; i++) stream.WriteByte((byte)' ');
            foreach (var t in list)
            {
                var bytes = new byte[4 * t.Length];
                if (t.Floats != null) for (int i = 0; i < t.Length; i++) BinaryPrimitives.WriteSingleLittleEndian(bytes.AsSpan(4 * i), t.Floats[i]);
                else for (int i = 0; i < t.Length; i++) BinaryPrimitives.WriteInt32LittleEndian(bytes.AsSpan(4 * i), t.Ints![i]);
                stream.Write(bytes);
            }
        });
    }

    /// <summary>Reads every tensor and the metadata; throws <see cref="CheckpointException"/> on any malformed input.</summary>
    public static (Dictionary<string, HostTensor> Tensors, Dictionary<string, string> Metadata) Read(string path)
    {
        if (!File.Exists(path)) throw new CheckpointException($"checkpoint '{path}' does not exist");
        using var stream = File.OpenRead(path);
        long fileLength = stream.Length;
        if (fileLength < 8) throw new CheckpointException($"'{path}' is not a safetensors file: {fileLength} bytes, too short for a header");
        Span<byte> len = stackalloc byte[8];
        stream.ReadExactly(len);
        ulong headerLength = BinaryPrimitives.ReadUInt64LittleEndian(len);
        if (headerLength == 0 || headerLength > (ulong)Math.Min(MaxHeaderBytes, fileLength - 8))
            throw new CheckpointException($"'{path}' is not a safetensors file (or is truncated): header length {headerLength} does not fit in a {fileLength}-byte file");
        var headerBytes = new byte[headerLength];
        stream.ReadExactly(headerBytes);
        JsonObject header;
        try { header = JsonNode.Parse(headerBytes)?.AsObject() ?? throw new CheckpointException($"'{path}': empty header"); }
        catch (JsonException e) { throw new CheckpointException($"'{path}' is not a safetensors file: header is not JSON ({e.Message})"); }
        catch (InvalidOperationException) { throw new CheckpointException($"'{path}' is not a safetensors file: header is not a JSON object"); }

        long dataStart = 8 + (long)headerLength, dataLength = fileLength - dataStart;
        var tensors = new Dictionary<string, HostTensor>();
        var metadata = new Dictionary<string, string>();
        foreach (var (name, node) in header)
        {
            if (name == "__metadata__")
            {
                if (node is JsonObject meta) foreach (var (k, v) in meta) metadata[k] = v?.ToString() ?? "";
                continue;
            }
            tensors[name] = ReadTensor(path, stream, name, node, dataStart, dataLength);
        }
        return (tensors, metadata);
    }

    static HostTensor ReadTensor(string path, FileStream stream, string name, JsonNode? node, long dataStart, long dataLength)
    {
        try
        {
            var dtype = node!["dtype"]!.GetValue<string>();
            var shape = node["shape"]!.AsArray().Select(d => d!.GetValue<int>()).ToArray();
            var offsets = node["data_offsets"]!.AsArray().Select(d => d!.GetValue<long>()).ToArray();
            if (dtype is not ("F32" or "I32")) throw new CheckpointException($"'{path}': tensor '{name}' has dtype {dtype}; only F32 and I32 are supported");
            if (shape.Any(d => d < 0)) throw new CheckpointException($"'{path}': tensor '{name}' has a negative dimension");
            long count = shape.Aggregate(1L, (a, d) => a * d);
            if (offsets.Length != 2 || offsets[0] < 0 || offsets[1] < offsets[0] || offsets[1] > dataLength)
                throw new CheckpointException($"'{path}' is truncated or corrupt: tensor '{name}' data_offsets [{string.Join(",", offsets)}] lie outside the {dataLength}-byte data section");
            if (offsets[1] - offsets[0] != 4 * count)
                throw new CheckpointException($"'{path}': tensor '{name}' of shape [{string.Join(",", shape)}] needs {4 * count} bytes, its offsets span {offsets[1] - offsets[0]}");
            var bytes = new byte[offsets[1] - offsets[0]];
            stream.Position = dataStart + offsets[0];
            stream.ReadExactly(bytes);
            if (dtype == "F32")
            {
                var f = new float[count];
                for (int i = 0; i < count; i++) f[i] = BinaryPrimitives.ReadSingleLittleEndian(bytes.AsSpan(4 * i));
                return new HostTensor(name, shape, f, null);
            }
            var ints = new int[count];
            for (int i = 0; i < count; i++) ints[i] = BinaryPrimitives.ReadInt32LittleEndian(bytes.AsSpan(4 * i));
            return new HostTensor(name, shape, null, ints);
        }
        catch (Exception e) when (e is NullReferenceException or InvalidOperationException or FormatException or JsonException)
        {
            throw new CheckpointException($"'{path}': header entry for tensor '{name}' is malformed");
        }
    }
}
