using System.Globalization;
using System.Text;

namespace IlgpuVq.Data;

/// <summary>
/// A train/test split of a dataset: deterministic from a seed, stratified by class, and grouped by lesion id so that
/// no lesion has images on both sides. Written to the run folder as a CSV to be audited and reused.
/// </summary>
public sealed class DataSplit
{
    DataSplit(int[] train, int[] test, ILesionDataset dataset, int seed, string source)
    {
        Train = train;
        Test = test;
        Seed = seed;
        Source = source;
        _ids = Enumerable.Range(0, dataset.Count).Select(dataset.ImageId).ToArray();
        _groups = Enumerable.Range(0, dataset.Count).Select(dataset.GroupId).ToArray();
        _labels = Enumerable.Range(0, dataset.Count).Select(dataset.Label).ToArray();
        _classNames = dataset.ClassNames;
    }

    readonly string[] _ids;
    readonly string?[] _groups;
    readonly int[] _labels;
    readonly IReadOnlyList<string> _classNames;

    /// <summary>Dataset indices of the training images, ascending.</summary>
    public int[] Train { get; }

    /// <summary>Dataset indices of the test images, ascending.</summary>
    public int[] Test { get; }

    /// <summary>The seed the split was made with (-1 when read from a CSV or given by the data).</summary>
    public int Seed { get; }

    /// <summary>How the split was made: <c>seed N</c>, <c>given by ...</c> (the data's own split) or <c>read from FILE</c>.</summary>
    public string Source { get; }

    /// <summary>True when the data came with its own split (e.g. <c>train/</c> and <c>test/</c> folders), which <see cref="Create"/> keeps.</summary>
    public bool IsGiven => Source.StartsWith("given", StringComparison.Ordinal);

    /// <summary>
    /// Splits a dataset. Images are grouped by <see cref="ILesionDataset.GroupId"/> (an image without one is its own
    /// group); each group gets the majority label of its images; within each class the groups are shuffled with the
    /// seed and taken in that order until the class has its share of the test images (test size × class share,
    /// rounded by largest remainder). The test set therefore matches the requested size up to the granularity of
    /// lesion groups (usually exactly), and the class ratios of train and test match the dataset's.
    /// A dataset with a given split (<see cref="DatasetReport.GivenSplit"/>) keeps it; test size and seed do not apply.
    /// </summary>
    public static DataSplit Create(ILesionDataset dataset, TestSize testSize, int seed)
    {
        var n = dataset.Count;
        if (n == 0) throw new DataError("cannot split an empty dataset");
        if (dataset.Report.GivenSplit is { } given) return Given(dataset, given);
        var target = testSize.Resolve(n);

        var groups = new Dictionary<string, List<int>>(StringComparer.Ordinal);
        for (var i = 0; i < n; i++)
        {
            var key = dataset.GroupId(i) is { } g ? "g:" + g : "i:" + dataset.ImageId(i);
            if (!groups.TryGetValue(key, out var list)) groups[key] = list = [];
            list.Add(i);
        }
        var classes = Math.Max(1, dataset.ClassNames.Count);
        var strata = new List<(string Key, List<int> Members)>[classes];
        for (var c = 0; c < classes; c++) strata[c] = [];
        foreach (var (key, members) in groups.OrderBy(kv => kv.Key, StringComparer.Ordinal))
            strata[Math.Max(0, MajorityLabel(dataset, members))].Add((key, members));

        var classTotals = strata.Select(s => s.Sum(g => g.Members.Count)).ToArray();
        var targets = Apportion(target, classTotals, seed);
        var test = new List<int>(target);
        for (var c = 0; c < classes; c++)
        {
            var order = strata[c].ToArray();
            new CounterRng(RngStreams.Split, seed, c).Shuffle(order.AsSpan());
            var taken = 0;
            var used = new bool[order.Length];
            for (var k = 0; k < order.Length && taken < targets[c]; k++)
            {
                if (taken + order[k].Members.Count > targets[c]) continue;
                taken += order[k].Members.Count;
                used[k] = true;
                test.AddRange(order[k].Members);
            }
            // If no combination fit exactly, add the one group that brings the class closest to its target.
            int best = -1, bestGap = Math.Abs(taken - targets[c]);
            for (var k = 0; k < order.Length; k++)
            {
                var gap = Math.Abs(taken + order[k].Members.Count - targets[c]);
                if (!used[k] && gap < bestGap) (best, bestGap) = (k, gap);
            }
            if (best >= 0) test.AddRange(order[best].Members);
        }
        var isTest = new bool[n];
        foreach (var i in test) isTest[i] = true;
        var testArr = Enumerable.Range(0, n).Where(i => isTest[i]).ToArray();
        var trainArr = Enumerable.Range(0, n).Where(i => !isTest[i]).ToArray();
        if (trainArr.Length == 0) throw new DataError($"the split left no training image ({n} images in {groups.Count} lesion groups)");
        return new DataSplit(trainArr, testArr, dataset, seed, $"seed {seed}");
    }

    static DataSplit Given(ILesionDataset dataset, string given)
    {
        var all = Enumerable.Range(0, dataset.Count);
        var test = all.Where(dataset.InGivenTest).ToArray();
        var train = all.Where(i => !dataset.InGivenTest(i)).ToArray();
        if (train.Length == 0 || test.Length == 0)
            throw new DataError($"the split given by the {given} has {train.Length} readable training and {test.Length} test images; both need at least one");
        return new DataSplit(train, test, dataset, -1, $"given by the {given}");
    }

    static int MajorityLabel(ILesionDataset dataset, List<int> members)
    {
        if (members.Count == 1) return dataset.Label(members[0]);
        return members.GroupBy(dataset.Label).OrderByDescending(g => g.Count()).ThenBy(g => g.Key).First().Key;
    }

    /// <summary>
    /// Largest-remainder apportionment of <paramref name="total"/> in proportion to <paramref name="weights"/>; equal
    /// remainders (many classes of one size) are served in an order shuffled with the seed, not by class index.
    /// </summary>
    static int[] Apportion(int total, int[] weights, int seed)
    {
        var sum = weights.Sum();
        var result = weights.Select(w => (int)((long)total * w / sum)).ToArray();
        var tieOrder = Enumerable.Range(0, weights.Length).ToArray();
        new CounterRng(RngStreams.Split, seed, -1).Shuffle(tieOrder.AsSpan());
        var rank = new int[weights.Length];
        for (var k = 0; k < tieOrder.Length; k++) rank[tieOrder[k]] = k;
        var order = Enumerable.Range(0, weights.Length)
            .OrderByDescending(c => (double)total * weights[c] / sum - result[c]).ThenBy(c => rank[c]).ToArray();
        for (var k = 0; result.Sum() < total; k++) result[order[k % order.Length]]++;
        return result;
    }

    /// <summary>Images per class among <paramref name="indices"/> (length = number of classes; empty when unlabeled).</summary>
    public static int[] CountByClass(ILesionDataset dataset, IEnumerable<int> indices)
    {
        var counts = new int[dataset.ClassNames.Count];
        if (counts.Length == 0) return counts;
        foreach (var i in indices) counts[dataset.Label(i)]++;
        return counts;
    }

    /// <summary>Writes <c>image_id,lesion_id,label,split,split_source</c>, one row per image in dataset order.</summary>
    public void WriteCsv(string path)
    {
        var isTest = new bool[_ids.Length];
        foreach (var i in Test) isTest[i] = true;
        var sb = new StringBuilder("image_id,lesion_id,label,split,split_source\n");
        var source = Quote(Source);
        for (var i = 0; i < _ids.Length; i++)
            sb.Append(CultureInfo.InvariantCulture,
                $"{Quote(_ids[i])},{Quote(_groups[i] ?? "")},{Quote(_labels[i] >= 0 && _labels[i] < _classNames.Count ? _classNames[_labels[i]] : "")},{(isTest[i] ? "test" : "train")},{source}\n");
        var dir = Path.GetDirectoryName(Path.GetFullPath(path));
        if (dir is not null) Directory.CreateDirectory(dir);
        File.WriteAllText(path, sb.ToString());
    }

    /// <summary>
    /// Reads a split written by <see cref="WriteCsv"/> and maps it onto a dataset by image id; throws when the CSV and
    /// the dataset do not have the same images.
    /// </summary>
    public static DataSplit ReadCsv(string path, ILesionDataset dataset)
    {
        if (!File.Exists(path)) throw new DataError($"split file {path} does not exist");
        var csv = CsvTable.Read(path);
        var missingCols = CsvTable.Missing(csv.Header, ["image_id", "split"]);
        if (missingCols.Count > 0) throw new DataError($"split file {path} is missing columns {string.Join(", ", missingCols)}");
        int cId = csv.Column("image_id"), cSplit = csv.Column("split"), cSource = csv.Column("split_source");
        var index = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = 0; i < dataset.Count; i++) index[dataset.ImageId(i)] = i;
        var side = new int[dataset.Count];
        var unknown = new List<string>();
        foreach (var row in csv.Rows)
        {
            var id = CsvTable.Field(row, cId);
            var s = CsvTable.Field(row, cSplit).ToLowerInvariant();
            if (s is not ("train" or "test")) throw new DataError($"split file {path}: image {id} has split '{s}', expected train or test");
            if (!index.TryGetValue(id, out var i)) { unknown.Add(id); continue; }
            side[i] = s == "test" ? 2 : 1;
        }
        var absent = Enumerable.Range(0, dataset.Count).Where(i => side[i] == 0).Select(dataset.ImageId).ToList();
        if (unknown.Count > 0 || absent.Count > 0)
            throw new DataError($"split file {path} does not match the dataset: images in the CSV but not in the data: {ProblemList.From(unknown)}; " +
                                $"images in the data but not in the CSV: {ProblemList.From(absent)}");
        return new DataSplit(Enumerable.Range(0, dataset.Count).Where(i => side[i] == 1).ToArray(),
                             Enumerable.Range(0, dataset.Count).Where(i => side[i] == 2).ToArray(), dataset, -1,
                             csv.Rows.Count > 0 && CsvTable.Field(csv.Rows[0], cSource) is { Length: > 0 } source ? source : $"read from {Path.GetFileName(path)}");
    }

    static string Quote(string s) => s.IndexOfAny([',', '"', '\n']) >= 0 ? "\"" + s.Replace("\"", "\"\"") + "\"" : s;
}
