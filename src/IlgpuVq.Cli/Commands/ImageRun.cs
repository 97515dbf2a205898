using IlgpuVq.Data;
using IlgpuVq.Engine.Devices;
using IlgpuVq.Models.Training;

namespace IlgpuVq.Cli.Commands;

/// <summary>
/// What the runs of both image models (<see cref="VqVaeJob"/>, <see cref="ClassifierCommand"/>) set up alike: the run folder,
/// the split (split.csv, reused on resume), the data entries of config.json, the train and test batch sources, and the
/// training loop with console progress.
/// </summary>
public sealed class ImageRun : IDisposable
{
    ImageRun(RunFolder folder, DataSplit split, DatasetBatches train, DatasetBatches test)
    {
        Folder = folder;
        Split = split;
        TrainImages = train;
        TestImages = test;
    }

    /// <summary>Creates the run folder and the split; training batches of <paramref name="batchSize"/> (seeded by
    /// <paramref name="dataSeed"/>, augmented by <paramref name="augment"/> when set), test batches of <paramref name="testBatchSize"/>.</summary>
    public static ImageRun Open(ILesionDataset dataset, TrainingOptions training, TestSize testSize, int dataSeed, int batchSize, int testBatchSize,
        AugmentOptions? augment, bool balance)
    {
        var folder = new RunFolder(training.OutDir);
        folder.Create();
        var split = RunSplit.LoadOrCreate(folder, dataset, testSize, dataSeed, training.Resume);
        return new(folder, split, DatasetBatches.ForTraining(dataset, split.Train, batchSize, dataSeed, augment, balance),
            DatasetBatches.ForEvaluation(dataset, split.Test, testBatchSize));
    }

    public RunFolder Folder { get; }
    public DataSplit Split { get; }
    public DatasetBatches TrainImages { get; }
    public DatasetBatches TestImages { get; }

    /// <summary>config.json's <c>data</c> entries that every image run records (a model's run adds its own).</summary>
    public Dictionary<string, object?> Data(ILesionDataset dataset, string spec, object augment, bool balance) => new()
    {
        ["spec"] = spec, ["source"] = dataset.Report.Source, ["image_size"] = dataset.ImageSize, ["images"] = dataset.Count,
        ["train"] = Split.Train.Length, ["test"] = Split.Test.Length, ["split_csv"] = Folder.Split, ["augment"] = augment, ["balance"] = balance,
        ["classes"] = dataset.ClassNames,
    };

    /// <summary>The training loop of <paramref name="task"/> with console progress.</summary>
    public static TrainResult Train(ComputeDevice device, ITrainingTask<Batch> task, TrainingOptions options, CancellationToken cancel) =>
        TrainingConsole.Run(reporter => new TrainingLoop<Batch>(device, task, options, reporter).Run(cancel));

    public void Dispose()
    {
        TrainImages.Dispose();
        TestImages.Dispose();
    }
}
