using IlgpuVq.Data;
using IlgpuVq.Engine.Serialization;
using IlgpuVq.Models.Classifier;
using IlgpuVq.Models.Training;

namespace IlgpuVq.Tests.Evaluation;

/// <summary>The evaluator classifier: it learns the synthetic lesions, resumes exactly, and its report adds up.</summary>
public class ClassifierTrainingTests : IDisposable
{
    readonly string dir = Directory.CreateTempSubdirectory("ilgpuvq-cls-").FullName;
    public void Dispose() => Directory.Delete(dir, recursive: true);

    static readonly ClassifierConfig Tiny = new() { Width = 8, BlocksPerStage = 1, StemStride = 1 };

    static (TrainResult Result, ClassificationReport Report) Train(ILesionDataset data, DataSplit split, TrainingOptions options, bool balance = true)
    {
        var device = TestDevices.Get("cpu");
        var settings = new ClassifierSettings { Model = Tiny with { NumClasses = data.ClassNames.Count }, BatchSize = 16, LearningRate = 3e-3f, Seed = 5, ClassNames = data.ClassNames };
        var train = DatasetBatches.ForTraining(data, split.Train, settings.BatchSize, 0, null, balance);
        var test = DatasetBatches.ForEvaluation(data, split.Test, 64);
        using var task = new ClassifierTrainingTask(device, settings, train, test);
        var result = new TrainingLoop<ImageBatch>(device, task, options).Run();
        var p = ClassifierPredictions.Run(task.Classifier, test);
        return (result, ClassificationReport.From(data.ClassNames, p.Labels, p.Predicted));
    }

    [Fact]
    public void ClassifierTrainedOnATinySyntheticSetBeatsTheMajorityClass()
    {
        using var data = DatasetLoader.Open("synthetic:400:16", new DataOptions { ImageSize = 16, Seed = 0 });
        var split = DataSplit.Create(data, TestSize.Parse("80"), 0);
        var (result, report) = Train(data, split, new TrainingOptions { OutDir = Path.Combine(dir, "a"), Epochs = 6 });
        Assert.False(result.Interrupted);
        Assert.True(report.Accuracy > report.MajorityShare, report.ToString());
        Assert.True(report.BalancedAccuracy > 2.0 / data.ClassNames.Count, report.ToString()); // the majority class alone: 1/K
        Assert.True(result.Metrics[^1]["train_ce_loss"] < result.Metrics[0]["train_ce_loss"]);
    }

    [Fact]
    public void ResumedRunMatchesAnUninterruptedOneBitForBit()
    {
        using var data = DatasetLoader.Open("synthetic:64:16", new DataOptions { ImageSize = 16, Seed = 0 });
        var split = DataSplit.Create(data, TestSize.Parse("16"), 0);
        var straight = Train(data, split, new TrainingOptions { OutDir = Path.Combine(dir, "a"), Epochs = 2 }).Result;
        Assert.True(Train(data, split, new TrainingOptions { OutDir = Path.Combine(dir, "b"), Epochs = 2, StopAtStep = 4 }).Result.Interrupted);
        var resumed = Train(data, split, new TrainingOptions { OutDir = Path.Combine(dir, "b"), Epochs = 2, Resume = true }).Result;
        Assert.Equal(straight.Steps, resumed.Steps);
        for (int e = 0; e < 2; e++)
            foreach (var key in new[] { "train_ce_loss", "val_ce_loss", "val_accuracy", "val_balanced_accuracy" })
                Assert.Equal(straight.Metrics[e][key], resumed.Metrics[e][key]);
        var a = SafeTensors.Read(Path.Combine(dir, "a", "checkpoints", "epoch_0002", CheckpointStore.ModelFile)).Tensors;
        var b = SafeTensors.Read(Path.Combine(dir, "b", "checkpoints", "epoch_0002", CheckpointStore.ModelFile)).Tensors;
        Assert.Contains("stages.1.down.weight", a.Keys);
        Assert.Contains("head.weight", a.Keys);
        foreach (var key in a.Keys) Assert.Equal(a[key].Floats, b[key].Floats);
    }

    [Fact]
    public void ReportCountsAccuracyBalancedAccuracyAndRecall()
    {
        // 6 of class a (5 right), 2 of class b (1 right), none of class c; one unlabeled image is left out.
        int[] labels = [0, 0, 0, 0, 0, 0, 1, 1, -1];
        int[] predicted = [0, 0, 0, 0, 0, 1, 1, 0, 2];
        var r = ClassificationReport.From(["a", "b", "c"], labels, predicted);
        Assert.Equal(8, r.Images);
        Assert.Equal(6.0 / 8, r.Accuracy, 12);
        Assert.Equal((5.0 / 6 + 0.5) / 2, r.BalancedAccuracy, 12);
        Assert.True(double.IsNaN(r.Recall[2]));
        Assert.Equal(6.0 / 8, r.MajorityShare, 12);
        Assert.Equal(1, r.Confusion[1, 0]);
        r.Save(Path.Combine(dir, "r.json"));
        r.SaveFigure(Path.Combine(dir, "r.png"), "test");
        Assert.Contains("\"balanced_accuracy\"", File.ReadAllText(Path.Combine(dir, "r.json")));
        Assert.True(new FileInfo(Path.Combine(dir, "r.png")).Length > 1000);
    }
}
