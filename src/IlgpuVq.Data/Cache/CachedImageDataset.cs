using System.IO.MemoryMappedFiles;
using System.Text;

namespace IlgpuVq.Data;

/// <summary>A real dataset read from a memory-mapped preprocessing cache file (see <see cref="PreprocessCache"/>).</summary>
public sealed unsafe class CachedImageDataset : ILesionDataset
{
    readonly MemoryMappedFile _map;
    readonly MemoryMappedViewAccessor _view;
    readonly byte* _pixels;
    readonly int[] _labels;
    readonly bool[] _inTest;
    readonly string[] _ids;
    readonly string?[] _groups;
    int _disposed;

    CachedImageDataset(MemoryMappedFile map, MemoryMappedViewAccessor view, byte* pixels, int size, int[] labels, bool[] inTest, string[] ids,
                       string?[] groups, IReadOnlyList<string> classNames, DatasetReport report)
    {
        _map = map;
        _view = view;
        _pixels = pixels;
        ImageSize = size;
        _labels = labels;
        _inTest = inTest;
        _ids = ids;
        _groups = groups;
        ClassNames = classNames;
        Report = report;
    }

    public int Count => _labels.Length;
    public int ImageSize { get; }
    public IReadOnlyList<string> ClassNames { get; }
    public bool HasLabels => ClassNames.Count > 0;
    public DatasetReport Report { get; }
    public int Label(int i) => _labels[i];
    public bool InGivenTest(int i) => _inTest[i];
    public string? GroupId(int i) => _groups[i];
    public string ImageId(int i) => _ids[i];

    public void ReadImage(int i, Span<byte> rgbHWC)
    {
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
        if ((uint)i >= (uint)Count) throw new ArgumentOutOfRangeException(nameof(i));
        var bytes = ImageSize * ImageSize * 3;
        new ReadOnlySpan<byte>(_pixels + (long)i * bytes, bytes).CopyTo(rgbHWC);
    }

    /// <summary>Memory-maps a cache file; the report's unreadable list comes from the file.</summary>
    internal static CachedImageDataset Open(string path, DatasetReport report)
    {
        var header = PreprocessCache.CacheHeader.Read(path);
        int[] labels = new int[header.Count];
        var inTest = new bool[header.Count];
        var ids = new string[header.Count];
        var groups = new string?[header.Count];
        string[] names;
        ProblemList unreadable;
        using (var s = File.OpenRead(path))
        {
            s.Position = header.MetaOffset;
            using var r = new BinaryReader(s, Encoding.UTF8);
            r.ReadString();
            names = new string[r.ReadInt32()];
            for (var k = 0; k < names.Length; k++) names[k] = r.ReadString();
            for (var i = 0; i < header.Count; i++)
            {
                labels[i] = r.ReadInt32();
                inTest[i] = r.ReadBoolean();
                ids[i] = r.ReadString();
                groups[i] = r.ReadBoolean() ? r.ReadString() : null;
            }
            var all = new string[r.ReadInt32()];
            for (var k = 0; k < all.Length; k++) all[k] = r.ReadString();
            unreadable = new ProblemList(all);
        }
        var map = MemoryMappedFile.CreateFromFile(path, FileMode.Open, null, 0, MemoryMappedFileAccess.Read);
        var view = map.CreateViewAccessor(0, 0, MemoryMappedFileAccess.Read);
        byte* p = null;
        view.SafeMemoryMappedViewHandle.AcquirePointer(ref p);
        p += view.PointerOffset + header.PixelOffset;
        return new CachedImageDataset(map, view, p, header.Size, labels, inTest, ids, groups, names, report with { Unreadable = unreadable });
    }

    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0) return;
        _view.SafeMemoryMappedViewHandle.ReleasePointer();
        _view.Dispose();
        _map.Dispose();
    }
}
