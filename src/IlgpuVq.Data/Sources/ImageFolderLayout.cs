namespace IlgpuVq.Data;

/// <summary>
/// The shape of an ImageFolder tree: classes directly under the root (<see cref="TrainFolder"/> null), or under a
/// <c>train/</c> folder with an optional given test folder (<c>test/</c>, else <c>val/</c>); when both <c>test/</c> and
/// <c>val/</c> exist, <c>val/</c> joins the training images (<see cref="ExtraTrainFolder"/>).
/// </summary>
internal sealed record ImageFolderShape(string? TrainFolder, string? TestFolder, string? ExtraTrainFolder)
{
    /// <summary>Where the given split comes from, for the report and split.csv; null without a test folder.</summary>
    public string? GivenSplit => TestFolder is null ? null
        : $"{TrainFolder}/{(ExtraTrainFolder is null ? "" : $" + {ExtraTrainFolder}/")} and {TestFolder}/ folders";
}

/// <summary>
/// torchvision's ImageFolder convention: <c>root/&lt;class&gt;/**.{jpg,jpeg,png}</c>, classes the sorted (ordinal) folder
/// names, or the same under <c>root/train/</c> and <c>root/test/</c> (or <c>val/</c>) as a given split.
/// </summary>
internal static class ImageFolderLayout
{
    static readonly string[] TrainNames = ["train", "training"];
    static readonly string[] TestNames = ["test", "testing"];
    static readonly string[] ValNames = ["val", "valid", "validation"];

    /// <summary>Folders of the official releases, which hold images of every class: a tree with one is not class folders.</summary>
    static bool IsReleaseFolder(string name) =>
        name.StartsWith("HAM10000_images", StringComparison.OrdinalIgnoreCase) || name.StartsWith("ISIC", StringComparison.OrdinalIgnoreCase);

    static bool IsSplitName(string name) => TrainNames.Concat(TestNames).Concat(ValNames).Contains(name, StringComparer.OrdinalIgnoreCase);

    /// <summary>The shape when the images form at least two class folders (directly or under train/), else null.</summary>
    public static ImageFolderShape? Detect(IReadOnlyList<SourceFile> images)
    {
        // Top folder → the class folders below it (images at least two folders deep).
        var below = new Dictionary<string, HashSet<string>>(StringComparer.Ordinal);
        var tops = new HashSet<string>(StringComparer.Ordinal);
        foreach (var f in images)
        {
            var folders = f.Folders;
            if (folders.Length == 0) continue;
            tops.Add(folders[0]);
            if (folders.Length < 2) continue;
            if (!below.TryGetValue(folders[0], out var set)) below[folders[0]] = set = new(StringComparer.Ordinal);
            set.Add(folders[1]);
        }
        string? Find(string[] names) => below.Keys.Where(k => names.Contains(k, StringComparer.OrdinalIgnoreCase)).Order(StringComparer.Ordinal).FirstOrDefault();
        var train = Find(TrainNames);
        if (train is not null)
        {
            string? test = Find(TestNames), val = Find(ValNames);
            var shape = new ImageFolderShape(train, test ?? val, test is not null ? val : null);
            var classes = new[] { shape.TrainFolder, shape.TestFolder, shape.ExtraTrainFolder }.Where(s => s is not null).SelectMany(s => below[s!]).Distinct().Count();
            if (classes >= 2) return shape;
        }
        if (tops.Count >= 2 && !tops.Any(t => IsSplitName(t) || IsReleaseFolder(t))) return new ImageFolderShape(null, null, null);
        return null;
    }

    /// <summary>Entries labelled by class folder (id = relative path without extension), the class names, and the images outside any class folder.</summary>
    public static (List<SourceEntry> Entries, List<string> ClassNames, List<string> Unlisted) Label(IReadOnlyList<SourceFile> images, ImageFolderShape shape)
    {
        var unlisted = new List<string>();
        var placed = new List<(SourceFile File, string Class, bool Test)>();
        foreach (var f in images)
        {
            var folders = f.Folders;
            var depth = shape.TrainFolder is null ? 0 : 1;
            var test = false;
            if (shape.TrainFolder is not null)
            {
                var top = folders.Length > 0 ? folders[0] : "";
                test = top == shape.TestFolder;
                if (top != shape.TrainFolder && top != shape.ExtraTrainFolder && !test)
                {
                    unlisted.Add($"{f.RelativePath} (outside {shape.TrainFolder}/{(shape.TestFolder is null ? "" : $" and {shape.TestFolder}/")})");
                    continue;
                }
            }
            if (folders.Length <= depth) { unlisted.Add($"{f.RelativePath} (not in a class folder)"); continue; }
            placed.Add((f, folders[depth], test));
        }
        var names = placed.Select(p => p.Class).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
        if (names.Count > LabelReader.MaxClasses)
            throw new DataError($"{names.Count} class folders is more than {LabelReader.MaxClasses} classes; is this an ImageFolder tree?");
        var index = names.Select((n, k) => (n, k)).ToDictionary(p => p.n, p => p.k, StringComparer.Ordinal);
        var entries = placed.Select(p => new SourceEntry(p.File.PathId, p.File, index[p.Class], null, p.Test)).ToList();
        return (entries, names, unlisted);
    }
}
