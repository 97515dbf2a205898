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
        using var train = DatasetBatches.ForTraining(data, split.Train, settings.BatchSize, 0, null, balance);
        using var test = DatasetBatches.ForEvaluation(data, split.Test, 64);
        using var task = new ClassifierTrainingTask(device, settings, train, test);
        var result = new TrainingLoop<Batch>(device, task, options).Run();
        var p = ClassifierPredictions.Run(task.Classifier, test);
        return (result, ClassificationReport.From(data.ClassNames, p.Labels, p.Predicted));
    }

    /// <summary>
    /// A tiny synthetic set of 16 px lesions in three skewed classes (60 % / 25 % / 15 %, like NV's dominance): a dark disc,
    /// a red disc, a large pale disc, each at a random place and size on jittered skin with pixel noise.
    /// </summary>
    static (float[] Images, int[] Labels) Lesions(int count, int seed)
    {
        const int size = 16;
        var rng = new Random(seed);
        var images = new float[count * 3 * size * size];
        var labels = new int[count];
        for (int n = 0; n < count; n++)
        {
            double u = rng.NextDouble();
            int c = labels[n] = u < 0.6 ? 0 : u < 0.85 ? 1 : 2;
            double cx = size * (0.3 + 0.4 * rng.NextDouble()), cy = size * (0.3 + 0.4 * rng.NextDouble());
            double r = size * (c == 2 ? 0.3 : 0.15 + 0.1 * rng.NextDouble());
            double[] skin = [0.7 + 0.1 * rng.NextDouble(), 0.3 + 0.1 * rng.NextDouble(), 0.1];
            double[] lesion = c switch { 0 => [-0.4, -0.6, -0.6], 1 => [0.6, -0.5, -0.4], _ => [0.9, 0.7, 0.5] };
            for (int ch = 0; ch < 3; ch++)
                for (int y = 0; y < size; y++)
                    for (int x = 0; x < size; x++)
                    {
                        double t = Math.Clamp((r - Math.Sqrt((x - cx) * (x - cx) + (y - cy) * (y - cy))) / 1.5 + 0.5, 0, 1);
                        images[((n * 3 + ch) * size + y) * size + x] = (float)(skin[ch] * (1 - t) + lesion[ch] * t + 0.1 * (rng.NextDouble() - 0.5));
                    }
        }
        return (images, labels);
    }

    [Fact]
    public void ClassifierTrainedOnATinySyntheticSetBeatsTheMajorityClass()
    {
        var device = TestDevices.Get("cpu");
        var (trainImages, trainLabels) = Lesions(96, 1);
        var (testImages, testLabels) = Lesions(60, 2);
        string[] names = ["dark", "red", "pale"];
        var settings = new ClassifierSettings { Model = Tiny with { NumClasses = 3 }, BatchSize = 16, LearningRate = 3e-3f, Seed = 5, ClassNames = names };
        var test = new InMemoryBatches(testImages, testLabels, 16, 64);
        using var task = new ClassifierTrainingTask(device, settings, new InMemoryBatches(trainImages, trainLabels, 16, 16), test);
        var result = new TrainingLoop<Batch>(device, task, new TrainingOptions { OutDir = Path.Combine(dir, "a"), Epochs = 8 }).Run();
        var p = ClassifierPredictions.Run(task.Classifier, test);
        var report = ClassificationReport.From(names, p.Labels, p.Predicted);
        Assert.True(report.Accuracy > report.MajorityShare + 0.1, report.ToString());
        Assert.True(report.BalancedAccuracy > 0.6, report.ToString()); // the majority class alone: 1/3
        Assert.True(result.Metrics[^1]["train_ce_loss"] < result.Metrics[0]["train_ce_loss"]);
        Assert.Equal(60 * settings.Model.FeatureDim, p.Features.Length);
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
