using System.Text.Json;
using IlgpuVq.Data;
using IlgpuVq.Engine.Serialization;

namespace IlgpuVq.Models.Classifier;

/// <summary>
/// Accuracy of predicted against true labels: overall accuracy, balanced accuracy (the mean recall over the
/// classes present in the labels), recall per class (NaN for a class with no images) and the confusion matrix
/// (rows: true class, columns: predicted class). Images labelled −1 (unlabeled) are left out.
/// </summary>
public sealed record ClassificationReport(IReadOnlyList<string> ClassNames, int[,] Confusion, double Accuracy, double BalancedAccuracy, double[] Recall, int Images)
{
    public static ClassificationReport From(IReadOnlyList<string> classNames, int[] labels, int[] predicted)
    {
        int k = classNames.Count;
        var confusion = new int[k, k];
        int correct = 0, images = 0;
        for (int i = 0; i < labels.Length; i++)
        {
            if (labels[i] < 0 || labels[i] >= k) continue;
            confusion[labels[i], predicted[i]]++;
            images++;
            if (labels[i] == predicted[i]) correct++;
        }
        var recall = new double[k];
        for (int c = 0; c < k; c++)
        {
            int row = 0;
            for (int p = 0; p < k; p++) row += confusion[c, p];
            recall[c] = row == 0 ? double.NaN : (double)confusion[c, c] / row;
        }
        var present = recall.Where(double.IsFinite).ToArray();
        return new ClassificationReport(classNames, confusion, images == 0 ? double.NaN : (double)correct / images,
            present.Length == 0 ? double.NaN : present.Average(), recall, images);
    }

    /// <summary>The share of the most frequent class: what always predicting it would score.</summary>
    public double MajorityShare
    {
        get
        {
            int best = 0;
            for (int c = 0; c < ClassNames.Count; c++)
            {
                int row = 0;
                for (int p = 0; p < ClassNames.Count; p++) row += Confusion[c, p];
                best = Math.Max(best, row);
            }
            return Images == 0 ? double.NaN : (double)best / Images;
        }
    }

    public override string ToString() =>
        $"{Images} images: accuracy {Accuracy:0.000}, balanced accuracy {BalancedAccuracy:0.000} (majority class alone: {MajorityShare:0.000}); recall " +
        string.Join(", ", ClassNames.Select((n, c) => $"{n} {Recall[c]:0.00}"));

    /// <summary>JSON with accuracy, balanced_accuracy, majority_share, recall per class name and the confusion matrix rows.</summary>
    public void Save(string path)
    {
        int k = ClassNames.Count;
        var doc = new Dictionary<string, object?>
        {
            ["images"] = Images, ["accuracy"] = Finite(Accuracy), ["balanced_accuracy"] = Finite(BalancedAccuracy), ["majority_share"] = Finite(MajorityShare),
            ["recall"] = ClassNames.Select((n, c) => (n, c)).ToDictionary(p => p.n, p => Finite(Recall[p.c])),
            ["classes"] = ClassNames,
            ["confusion"] = Enumerable.Range(0, k).Select(r => Enumerable.Range(0, k).Select(p => Confusion[r, p]).ToArray()).ToArray(),
        };
        AtomicFile.WriteAllText(path, JsonSerializer.Serialize(doc, new JsonSerializerOptions { WriteIndented = true }));
    }

    /// <summary>confusion_matrix.png: counts shaded by row share, accuracy and balanced accuracy below.</summary>
    public void SaveFigure(string path, string title) => ConfusionMatrixFigure.Save(path, ClassNames, Confusion, title,
        $"accuracy {Accuracy:0.000}, balanced accuracy {BalancedAccuracy:0.000}, {Images} images");

    static double? Finite(double v) => double.IsFinite(v) ? v : null;
}
