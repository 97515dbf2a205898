namespace IlgpuVq.Data;

/// <summary>
/// A set of square RGB lesion images of one size, with optional class labels and lesion groups.
/// Real folders (through the preprocessing cache) and the synthetic generator both implement it.
/// <see cref="ReadImage"/> may be called from several threads at once.
/// </summary>
public interface ILesionDataset : IDisposable
{
    /// <summary>Number of images.</summary>
    int Count { get; }

    /// <summary>Side of every image in pixels (images are <c>ImageSize × ImageSize × 3</c>).</summary>
    int ImageSize { get; }

    /// <summary>Class names, label i is <c>ClassNames[i]</c>; empty when the dataset has no labels.</summary>
    IReadOnlyList<string> ClassNames { get; }

    /// <summary>False for a plain folder of images without a CSV.</summary>
    bool HasLabels { get; }

    /// <summary>Class label of image i, or -1 when the dataset has no labels.</summary>
    int Label(int i);

    /// <summary>Lesion id of image i (several images can show one lesion), or null when unknown.</summary>
    string? GroupId(int i);

    /// <summary>Stable name of image i (file stem such as <c>ISIC_0024306</c>), used by the split CSV.</summary>
    string ImageId(int i);

    /// <summary>True when image i lies in the test set of the dataset's given split (see <see cref="DatasetReport.GivenSplit"/>).</summary>
    bool InGivenTest(int i) => false;

    /// <summary>Copies image i as bytes in row-major RGB order (HWC) into a span of <c>ImageSize²·3</c> bytes.</summary>
    void ReadImage(int i, Span<byte> rgbHWC);

    /// <summary>Where the data came from and what was skipped on the way.</summary>
    DatasetReport Report { get; }
}

/// <summary>Checks for features that need something the dataset may not have.</summary>
public static class DatasetRequirements
{
    /// <summary>Throws a <see cref="DataError"/> naming the feature when the dataset has no class labels.</summary>
    public static void RequireLabels(ILesionDataset dataset, string feature)
    {
        if (!dataset.HasLabels)
            throw new DataError($"{feature} needs class labels, but {dataset.Report.Source} is a plain folder of images " +
                                "without a CSV (unlabeled); use class folders (root/<class>/...), the HAM10000 or ISIC 2018 Task 3 layout, " +
                                "--labels FILE.csv --label-column NAME, or --data synthetic");
    }

    /// <summary>Fewest images a class needs to appear in both the training and the test set.</summary>
    public const int MinImagesPerClass = 2;

    /// <summary>The classes with fewer than <see cref="MinImagesPerClass"/> images, as <c>name (count)</c>.</summary>
    public static IReadOnlyList<string> RareClasses(this ILesionDataset dataset)
    {
        var counts = DataSplit.CountByClass(dataset, Enumerable.Range(0, dataset.Count));
        return counts.Select((n, c) => (n, c)).Where(p => p.n < MinImagesPerClass).Select(p => $"{dataset.ClassNames[p.c]} ({p.n})").ToList();
    }

    /// <summary>Bytes of one image of the dataset.</summary>
    public static int ImageBytes(this ILesionDataset dataset) => dataset.ImageSize * dataset.ImageSize * 3;
}
