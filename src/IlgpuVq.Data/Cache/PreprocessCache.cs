using System.Security.Cryptography;
using System.Text;

namespace IlgpuVq.Data;

/// <summary>
/// The preprocessing cache: every image of a data folder decoded, center-cropped and resized once, stored in one
/// versioned binary file that later runs memory-map. The file lives in a caller-given cache directory, never in the
/// data folder, and is rebuilt when the source changes (file list, sizes, modification times, labels, lesion ids).
/// </summary>
/// <remarks>
/// Format (little-endian): a 4 KiB header — magic <c>ILVQCACH</c>, int32 version, int32 image size, int32 count,
/// int32 reserved, 32-byte SHA-256 of the source file list, int64 pixel offset, int64 metadata offset, int64
/// metadata length — then <c>count × size × size × 3</c> bytes of RGB pixels (HWC per image), then the metadata:
/// layout, class names, then per image its label, given-test flag, id and lesion id, then every skipped file with its reason. A file with a wrong magic, version,
/// size, hash or length is treated as stale and rebuilt.
/// </remarks>
internal static class PreprocessCache
{
    static readonly byte[] Magic = "ILVQCACH"u8.ToArray();
    public const int Version = 3;
    public const int HeaderBytes = 4096;

    /// <summary>Cache file of a data folder at an image size: <c>&lt;dir&gt;/&lt;folder&gt;-&lt;hash of full path&gt;-&lt;size&gt;px.ilvqcache</c>.</summary>
    public static string PathFor(string cacheDir, string root, int size)
    {
        var full = Path.TrimEndingDirectorySeparator(Path.GetFullPath(root));
        var tag = Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(full)))[..12].ToLowerInvariant();
        var name = new string(Path.GetFileName(full).Select(c => char.IsLetterOrDigit(c) || c is '-' or '_' ? c : '_').ToArray());
        return Path.Combine(cacheDir, $"{(name.Length == 0 ? "data" : name)}-{tag}-{size}px.ilvqcache");
    }

    /// <summary>SHA-256 of everything that determines the cache content.</summary>
    public static byte[] SourceHash(SourceCatalog catalog, int size, long maxPixels)
    {
        using var h = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        void Add(string s) { h.AppendData(Encoding.UTF8.GetBytes(s)); h.AppendData([0]); }
        Add($"v{Version} size={size} max-pixels={maxPixels} layout={catalog.Layout} split={catalog.GivenSplit}");
        foreach (var name in catalog.ClassNames) Add(name);
        Add("entries");
        foreach (var e in catalog.Entries)
            Add($"{e.ImageId}|{e.File.RelativePath}|{e.File.Length}|{e.File.LastWriteTicks}|{e.Label}|{e.GroupId}|{e.InTest}");
        Add("skipped");
        foreach (var f in catalog.Skipped) Add(f);
        return h.GetHashAndReset();
    }

    /// <summary>Opens an up-to-date cache or builds it (reporting progress), then memory-maps it.</summary>
    public static CachedImageDataset OpenOrBuild(SourceCatalog catalog, int size, long maxPixels, string cacheDir, DatasetReport report,
                                                 IProgress<(int done, int total)>? progress)
    {
        Directory.CreateDirectory(cacheDir);
        var path = PathFor(cacheDir, catalog.Root, size);
        var hash = SourceHash(catalog, size, maxPixels);
        var status = CacheStatus.Reused;
        if (!IsValid(path, hash, size))
        {
            Build(path, catalog, size, maxPixels, hash, progress);
            status = CacheStatus.Built;
        }
        return CachedImageDataset.Open(path, report with { Cache = status, CachePath = path });
    }

    /// <summary>True when the file exists with the right magic, version, size, hash and length.</summary>
    static bool IsValid(string path, byte[] hash, int size)
    {
        if (!File.Exists(path)) return false;
        try
        {
            var h = CacheHeader.Read(path);
            return h.Size == size && h.Hash.AsSpan().SequenceEqual(hash);
        }
        catch (Exception e) when (e is IOException or InvalidDataException or EndOfStreamException) { return false; }
    }

    static void Build(string path, SourceCatalog catalog, int size, long maxPixels, byte[] hash, IProgress<(int done, int total)>? progress)
    {
        var tmp = $"{path}.{Environment.ProcessId}.{Guid.NewGuid():N}.tmp";
        var entries = catalog.Entries;
        var imageBytes = size * size * 3;
        var kept = new List<SourceEntry>(entries.Count);
        var unreadable = catalog.Skipped.ToList();
        try
        {
            using (var file = new FileStream(tmp, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 20))
            {
                file.Write(new byte[HeaderBytes]);
                const int chunk = 32;
                var buffers = new byte[chunk][];
                var errors = new string?[chunk];
                progress?.Report((0, entries.Count));
                for (var start = 0; start < entries.Count; start += chunk)
                {
                    var n = Math.Min(chunk, entries.Count - start);
                    Parallel.For(0, n, k =>
                    {
                        buffers[k] ??= new byte[imageBytes];
                        errors[k] = ImageDecoder.TryDecodeSquare(entries[start + k].File.FullPath, size, maxPixels, buffers[k], out var err) ? null : err ?? "unreadable";
                    });
                    for (var k = 0; k < n; k++)
                    {
                        if (errors[k] is { } err) { unreadable.Add($"{entries[start + k].File.RelativePath} ({err})"); continue; }
                        file.Write(buffers[k]);
                        kept.Add(entries[start + k]);
                    }
                    progress?.Report((start + n, entries.Count));
                }
                var metaOffset = file.Position;
                using (var w = new BinaryWriter(file, Encoding.UTF8, leaveOpen: true))
                {
                    w.Write(catalog.Layout.ToString());
                    w.Write(catalog.ClassNames.Count);
                    foreach (var name in catalog.ClassNames) w.Write(name);
                    foreach (var e in kept)
                    {
                        w.Write(e.Label);
                        w.Write(e.InTest);
                        w.Write(e.ImageId);
                        w.Write(e.GroupId is not null);
                        if (e.GroupId is not null) w.Write(e.GroupId);
                    }
                    var problems = ProblemList.From(unreadable);
                    w.Write(problems.Count);
                    foreach (var s in problems.All) w.Write(s);
                }
                var metaLength = file.Position - metaOffset;
                file.Position = 0;
                new CacheHeader(size, kept.Count, hash, HeaderBytes, metaOffset, metaLength).Write(file);
            }
            File.Move(tmp, path, overwrite: true);
        }
        catch
        {
            try { File.Delete(tmp); } catch (IOException) { }
            throw;
        }
    }

    /// <summary>The fixed fields at the start of a cache file.</summary>
    internal sealed record CacheHeader(int Size, int Count, byte[] Hash, long PixelOffset, long MetaOffset, long MetaLength)
    {
        public void Write(Stream s)
        {
            using var w = new BinaryWriter(s, Encoding.UTF8, leaveOpen: true);
            w.Write(Magic);
            w.Write(Version);
            w.Write(Size);
            w.Write(Count);
            w.Write(0);
            w.Write(Hash);
            w.Write(PixelOffset);
            w.Write(MetaOffset);
            w.Write(MetaLength);
        }

        public static CacheHeader Read(string path)
        {
            using var s = File.OpenRead(path);
            using var r = new BinaryReader(s);
            if (!r.ReadBytes(Magic.Length).AsSpan().SequenceEqual(Magic)) throw new InvalidDataException("bad magic");
            if (r.ReadInt32() != Version) throw new InvalidDataException("old version");
            var size = r.ReadInt32();
            var count = r.ReadInt32();
            r.ReadInt32();
            var hash = r.ReadBytes(32);
            var h = new CacheHeader(size, count, hash, r.ReadInt64(), r.ReadInt64(), r.ReadInt64());
            if (size <= 0 || count < 0 || h.PixelOffset != HeaderBytes
                || h.MetaOffset != h.PixelOffset + (long)count * size * size * 3 || h.MetaOffset + h.MetaLength != s.Length)
                throw new InvalidDataException("inconsistent lengths");
            return h;
        }
    }
}
