namespace IlgpuVq.Data;

/// <summary>A figure of what training sees: some training images, each unaugmented and then as augmented in successive epochs.</summary>
public static class AugmentedGrid
{
    /// <summary>
    /// Saves a grid of <paramref name="rows"/> training images chosen with the seed; column 0 is the image without
    /// augmentation, columns 1.. are its augmentation in epochs 0, 1, ... (exactly what the <see cref="BatchLoader"/>
    /// produces for it). Rows are labelled with the class name (or the image id when unlabeled).
    /// </summary>
    public static void Save(string path, ILesionDataset dataset, IReadOnlyList<int> trainIndices, int seed, AugmentOptions augment,
                            int rows = 6, int cols = 8)
    {
        if (trainIndices.Count == 0) throw new DataError("no training images to show");
        var chosen = trainIndices.ToArray();
        new CounterRng(RngStreams.Shuffle, seed, -1).Shuffle(chosen.AsSpan());
        chosen = chosen.Take(Math.Min(rows, chosen.Length)).ToArray();
        var size = dataset.ImageSize;
        var chw = 3 * size * size;
        var all = new float[chosen.Length * cols * chw];
        var raw = new byte[dataset.ImageBytes()];
        var labels = new List<string>();
        for (var r = 0; r < chosen.Length; r++)
        {
            var i = chosen[r];
            dataset.ReadImage(i, raw);
            labels.Add(dataset.HasLabels ? dataset.ClassNames[dataset.Label(i)] : dataset.ImageId(i));
            for (var c = 0; c < cols; c++)
            {
                var p = c == 0 ? AugmentParams.Identity : Augmentation.Draw(augment, seed, c - 1, i);
                Augmentation.Apply(raw, size, p, all.AsSpan((r * cols + c) * chw, chw));
            }
        }
        var scale = Math.Max(1, 128 / size);
        ImageGrid.Save(path, all, size, cols, labels, scale);
    }
}
