namespace IlgpuVq.Data;

/// <summary>The number of batches in an epoch, and the one check that a batch size fits the data (a <see cref="DataError"/>,
/// which the CLI prints as one <c>error:</c> line): every batch source (images and code maps) asks here.</summary>
public static class BatchCount
{
    /// <summary>Batches of <paramref name="batchSize"/> in <paramref name="items"/> <paramref name="what"/> (e.g. "training images"):
    /// full batches only when <paramref name="dropLast"/> (training), else with the last partial one (evaluation).</summary>
    public static int PerEpoch(int items, int batchSize, bool dropLast, string what)
    {
        if (batchSize < 1) throw new DataError($"batch size must be at least 1, not {batchSize}");
        if (items == 0) throw new DataError($"no {what} to batch (the split is empty)");
        int batches = dropLast ? items / batchSize : (items + batchSize - 1) / batchSize;
        if (batches == 0) throw new DataError($"batch size {batchSize} is larger than the {items} {what}; use a smaller --batch-size");
        return batches;
    }
}
