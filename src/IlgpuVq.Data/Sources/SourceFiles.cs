namespace IlgpuVq.Data;

/// <summary>One file found under the data folder.</summary>
internal sealed record SourceFile(string FullPath, string RelativePath, long Length, long LastWriteTicks)
{
    /// <summary>File name without extension, e.g. <c>ISIC_0024306</c>: the image id.</summary>
    public string Stem => Path.GetFileNameWithoutExtension(FullPath);

    /// <summary>The relative path without its extension, e.g. <c>train/benign/img1</c>: the id of an image in a folder layout.</summary>
    public string PathId => Path.ChangeExtension(RelativePath, null);

    /// <summary>The folder names of the relative path (without the file name).</summary>
    public string[] Folders => RelativePath.Split('/')[..^1];
}

/// <summary>The files of a data folder: image candidates, and everything skipped with its reason (<c>path (reason)</c>).</summary>
internal sealed record SourceScan(List<SourceFile> Images, List<string> Skipped);

/// <summary>Lists the files of a data folder: image candidates and files that cannot be images.</summary>
internal static class SourceFiles
{
    static readonly HashSet<string> ImageExtensions = new(StringComparer.OrdinalIgnoreCase) { ".jpg", ".jpeg", ".png" };

    /// <summary>Documentation and metadata files that ship with the releases (LICENSE.txt, ATTRIBUTION.txt, CSVs): ignored silently.</summary>
    static readonly HashSet<string> IgnoredExtensions = new(StringComparer.OrdinalIgnoreCase)
        { ".csv", ".txt", ".md", ".pdf", ".json", ".html", ".htm", ".xlsx", ".xls", ".zip" };

    /// <summary>Folders nested deeper than this below the root are not entered (a last guard against link cycles).</summary>
    public const int MaxDepth = 64;

    /// <summary>True for <c>.jpg</c>, <c>.jpeg</c> and <c>.png</c> (case-insensitive).</summary>
    public static bool HasImageExtension(string name) => ImageExtensions.Contains(Path.GetExtension(name));

    /// <summary>
    /// Files under <paramref name="root"/> (recursive, ordinal order), skipping hidden files and folders and macOS zip
    /// residue (<c>__MACOSX</c>). Symbolic links are followed, except a folder link that leads back to a folder already
    /// visited (a loop) or one that cannot be resolved: those, folders named like images (<c>x.jpg/</c>), entries that
    /// cannot be read and non-image files are listed in <see cref="SourceScan.Skipped"/> with the reason.
    /// </summary>
    public static SourceScan Scan(string root, string? excludeDir = null)
    {
        var images = new List<SourceFile>();
        var skipped = new List<string>();
        var options = new EnumerationOptions { RecurseSubdirectories = false, IgnoreInaccessible = true, AttributesToSkip = 0 };
        var visited = new HashSet<string>(StringComparer.Ordinal) { RealPath(root) };
        var pending = new Stack<(string Dir, int Depth)>();
        pending.Push((root, 0));
        string Rel(string path) => Path.GetRelativePath(root, path).Replace('\\', '/');
        while (pending.Count > 0)
        {
            var (dir, depth) = pending.Pop();
            if (excludeDir is not null && IsSameOrInside(dir, excludeDir)) continue;
            try
            {
                // Ordinal order, so that which of two paths to one folder (a link and its target) is entered does not depend on the file system.
                foreach (var sub in Directory.EnumerateDirectories(dir, "*", options).Order(StringComparer.Ordinal))
                {
                    var name = Path.GetFileName(sub);
                    if (name.StartsWith('.') || name == "__MACOSX") continue;
                    if (HasImageExtension(name)) { skipped.Add($"{Rel(sub)} (a folder, not an image file)"); continue; }
                    if (FolderProblem(sub, depth + 1, visited) is { } problem) { skipped.Add($"{Rel(sub)} ({problem})"); continue; }
                    pending.Push((sub, depth + 1));
                }
                foreach (var path in Directory.EnumerateFiles(dir, "*", options))
                {
                    var name = Path.GetFileName(path);
                    if (name.StartsWith('.')) continue;
                    var ext = Path.GetExtension(name);
                    if (IgnoredExtensions.Contains(ext)) continue;
                    var info = new FileInfo(path);
                    if (info.LinkTarget is not null && LinkProblem(path) is { } problem) { skipped.Add($"{Rel(path)} ({problem})"); continue; }
                    if (!ImageExtensions.Contains(ext)) { skipped.Add($"{Rel(path)} (not a JPEG or PNG file)"); continue; }
                    images.Add(new SourceFile(path, Rel(path), info.Length, info.LastWriteTimeUtc.Ticks));
                }
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                skipped.Add($"{Rel(dir)}/ (cannot list the folder: {e.Message})");
            }
        }
        images.Sort((a, b) => string.CompareOrdinal(a.RelativePath, b.RelativePath));
        skipped.Sort(StringComparer.Ordinal);
        return new SourceScan(images, skipped);
    }

    /// <summary>Why a folder is not entered (a link loop, an unresolvable link, too deep), or null to enter it.</summary>
    static string? FolderProblem(string dir, int depth, HashSet<string> visited)
    {
        if (depth > MaxDepth) return $"nested deeper than {MaxDepth} folders, not entered";
        var info = new DirectoryInfo(dir);
        if (info.LinkTarget is null) return visited.Add(RealPath(dir)) ? null : "a folder visited twice, not entered";
        string real;
        try { real = RealPath(dir); }
        catch (IOException e) { return $"symbolic link that cannot be resolved: {e.Message}"; }
        return visited.Add(real) ? null : "symbolic link loop: it leads to a folder already visited, not followed";
    }

    /// <summary>Why a file link cannot be followed (a loop, or a dangling link), or null when it leads to a file.</summary>
    static string? LinkProblem(string path)
    {
        try
        {
            var target = File.ResolveLinkTarget(path, returnFinalTarget: true);
            return target is null || target.Exists ? null : $"dangling symbolic link to {target.FullName}";
        }
        catch (IOException e) { return $"symbolic link loop or unresolvable link: {e.Message}"; }
    }

    /// <summary>The path with every symbolic link on it resolved, component by component (as far as the links resolve).</summary>
    static string RealPath(string path)
    {
        var full = Path.TrimEndingDirectorySeparator(Path.GetFullPath(path));
        var parent = Path.GetDirectoryName(full);
        if (parent is null) return full;
        var resolved = Path.Combine(RealPath(parent), Path.GetFileName(full));
        for (var hops = 0; new DirectoryInfo(resolved).LinkTarget is { } target; hops++)
        {
            if (hops >= 40) throw new IOException("too many levels of symbolic links");
            var dirName = Path.GetDirectoryName(resolved)!;
            resolved = Path.TrimEndingDirectorySeparator(Path.GetFullPath(Path.Combine(dirName, target)));
            var p = Path.GetDirectoryName(resolved);
            if (p is not null) resolved = Path.Combine(RealPath(p), Path.GetFileName(resolved));
        }
        return resolved;
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
            try { list.AddRange(Directory.EnumerateFiles(sub, "*.csv", options)); }
            catch (IOException) { }   // a looping or dangling folder link: the scan reports it
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
