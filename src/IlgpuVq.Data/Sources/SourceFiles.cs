namespace IlgpuVq.Data;

/// <summary>One file found under the data folder.</summary>
internal sealed record SourceFile(string FullPath, string RelativePath, long Length, long LastWriteTicks)
{
    /// <summary>File name without extension, e.g. <c>ISIC_0024306</c>: the image id.</summary>
    public string Stem => Path.GetFileNameWithoutExtension(FullPath);
}

/// <summary>Lists the files of a data folder: image candidates and files that cannot be images.</summary>
internal static class SourceFiles
{
    static readonly HashSet<string> ImageExtensions = new(StringComparer.OrdinalIgnoreCase) { ".jpg", ".jpeg", ".png" };

    /// <summary>Documentation and metadata files that ship with the releases (LICENSE.txt, ATTRIBUTION.txt, CSVs): ignored silently.</summary>
    static readonly HashSet<string> IgnoredExtensions = new(StringComparer.OrdinalIgnoreCase)
        { ".csv", ".txt", ".md", ".pdf", ".json", ".html", ".htm", ".xlsx", ".xls", ".zip" };

    /// <summary>
    /// Files under <paramref name="root"/> (recursive, ordinal order), skipping hidden files and folders and
    /// macOS zip residue (<c>__MACOSX</c>). Returns image candidates by extension and other non-ignored files.
    /// </summary>
    public static (List<SourceFile> Images, List<SourceFile> NonImages) Scan(string root, string? excludeDir = null)
    {
        var images = new List<SourceFile>();
        var others = new List<SourceFile>();
        var options = new EnumerationOptions { RecurseSubdirectories = false, IgnoreInaccessible = true, AttributesToSkip = 0 };
        var pending = new Stack<string>();
        pending.Push(root);
        while (pending.Count > 0)
        {
            var dir = pending.Pop();
            if (excludeDir is not null && IsSameOrInside(dir, excludeDir)) continue;
            foreach (var sub in Directory.EnumerateDirectories(dir, "*", options))
            {
                var name = Path.GetFileName(sub);
                if (name.StartsWith('.') || name == "__MACOSX") continue;
                pending.Push(sub);
            }
            foreach (var path in Directory.EnumerateFiles(dir, "*", options))
            {
                var name = Path.GetFileName(path);
                if (name.StartsWith('.')) continue;
                var ext = Path.GetExtension(name);
                if (IgnoredExtensions.Contains(ext)) continue;
                var info = new FileInfo(path);
                var file = new SourceFile(path, Path.GetRelativePath(root, path).Replace('\\', '/'), info.Length, info.LastWriteTimeUtc.Ticks);
                (ImageExtensions.Contains(ext) ? images : others).Add(file);
            }
        }
        images.Sort((a, b) => string.CompareOrdinal(a.RelativePath, b.RelativePath));
        others.Sort((a, b) => string.CompareOrdinal(a.RelativePath, b.RelativePath));
        return (images, others);
    }

    /// <summary>CSV files directly in <paramref name="root"/> and one folder level below it (ordinal order).</summary>
    public static List<string> CsvFiles(string root)
    {
        var list = new List<string>();
        var options = new EnumerationOptions { IgnoreInaccessible = true, MatchCasing = MatchCasing.CaseInsensitive };
        list.AddRange(Directory.EnumerateFiles(root, "*.csv", options));
        foreach (var sub in Directory.EnumerateDirectories(root, "*", options))
        {
            var name = Path.GetFileName(sub);
            if (name.StartsWith('.') || name == "__MACOSX") continue;
            list.AddRange(Directory.EnumerateFiles(sub, "*.csv", options));
        }
        list.RemoveAll(p => Path.GetFileName(p).StartsWith('.'));
        list.Sort(StringComparer.Ordinal);
        return list;
    }

    /// <summary>True when <paramref name="path"/> is <paramref name="folder"/> or lies inside it.</summary>
    public static bool IsSameOrInside(string path, string folder)
    {
        var p = Path.TrimEndingDirectorySeparator(Path.GetFullPath(path));
        var f = Path.TrimEndingDirectorySeparator(Path.GetFullPath(folder));
        return p == f || p.StartsWith(f + Path.DirectorySeparatorChar, StringComparison.Ordinal);
    }
}
