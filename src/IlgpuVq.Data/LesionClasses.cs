namespace IlgpuVq.Data;

/// <summary>The seven HAM10000 / ISIC 2018 Task 3 diagnosis classes, in HAM10000's alphabetical order.</summary>
public static class LesionClasses
{
    /// <summary>Class names as in HAM10000's <c>dx</c> column; the label of a class is its index here.</summary>
    public static IReadOnlyList<string> Names { get; } = ["akiec", "bcc", "bkl", "df", "mel", "nv", "vasc"];

    /// <summary>Long names for figures and tables.</summary>
    public static IReadOnlyList<string> Descriptions { get; } =
    [
        "actinic keratosis / intraepithelial carcinoma", "basal cell carcinoma", "benign keratosis",
        "dermatofibroma", "melanoma", "melanocytic nevus", "vascular lesion",
    ];

    /// <summary>Images per class in the HAM10000 release (10 015 images), used for the synthetic imbalance.</summary>
    public static IReadOnlyList<int> Ham10000Counts { get; } = [327, 514, 1099, 115, 1113, 6705, 142];

    /// <summary>The ISIC 2018 Task 3 ground-truth column of each class, in the order of <see cref="Names"/>.</summary>
    public static IReadOnlyList<string> IsicColumns { get; } = ["AKIEC", "BCC", "BKL", "DF", "MEL", "NV", "VASC"];

    /// <summary>Label of a class name (case-insensitive), or -1 when it is not one of the seven.</summary>
    public static int IndexOf(string name)
    {
        for (var i = 0; i < Names.Count; i++)
            if (string.Equals(Names[i], name.Trim(), StringComparison.OrdinalIgnoreCase)) return i;
        return -1;
    }
}
