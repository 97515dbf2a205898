using IlgpuVq.Data;
using IlgpuVq.Models.Training;

namespace IlgpuVq.Cli.Commands;

/// <summary>The train/test split of a run folder: split.csv when resuming a run that has one, otherwise a new seeded split written there.</summary>
public static class RunSplit
{
    public static DataSplit LoadOrCreate(RunFolder run, ILesionDataset dataset, TestSize testSize, int seed, bool resume)
    {
        var split = resume && File.Exists(run.Split) ? DataSplit.ReadCsv(run.Split, dataset) : DataSplit.Create(dataset, testSize, seed);
        if (!File.Exists(run.Split) || !resume) split.WriteCsv(run.Split);
        return split;
    }
}
