using System.CommandLine;
using System.Globalization;
using IlgpuVq.Data;
using IlgpuVq.Engine.Devices;
using IlgpuVq.Models.Classifier;
using IlgpuVq.Models.Evaluation;
using IlgpuVq.Models.Prior;
using IlgpuVq.Models.Training;

namespace IlgpuVq.Cli.Commands;

/// <summary>Where the models of an evaluation are.</summary>
public sealed record EvaluationInputs(string VqVaePath, string PriorPath, string? ClassifierPath, string? CacheDir);

/// <summary>
/// <c>ilgpuvq evaluate</c>: measured sample quality (Fréchet distance, KID, precision/recall, class consistency,
/// memorisation, code statistics, each distance beside its real-data floor) of a prior + VQ-VAE against the VQ-VAE run's
/// own split, in the evaluator classifier's feature space (or, without <c>--classifier</c>, the VQ-VAE encoder's pooled
/// latents). Writes DIR/evaluation.json and DIR/nearest.png.
/// </summary>
public static class EvaluateCommand
{
    public static Command Create()
    {
        var vqvae = new Option<string>("--vqvae") { Description = "VQ-VAE run folder (its data and split are the real images)", Required = true };
        var prior = new Option<string>("--prior") { Description = "prior run folder or checkpoint", Required = true };
        var classifier = new Option<string?>("--classifier") { Description = "classifier run folder or checkpoint (default: VQ-VAE encoder features, no class metrics)" };
        var count = new Option<int>("--count") { Description = "samples per class (class-conditional prior) or in all", DefaultValueFactory = _ => 32 };
        var temperature = new Option<float>("--temperature") { DefaultValueFactory = _ => 1f };
        var guidance = GuidanceOption.Create();
        var seed = SeedOption.Create("the samples and the real images they are compared with");
        var outDir = OutOption.Create("evaluation.json and nearest.png");
        var cacheDir = new Option<string?>("--cache-dir") { Description = "preprocessing cache folder of the dataset" };
        var device = DeviceOption.Create();
        var cmd = new Command("evaluate", "Measure sample quality: Fréchet distance, KID, precision/recall, class consistency, memorisation, code statistics")
            { vqvae, prior, classifier, count, temperature, guidance, seed, outDir, cacheDir, device };
        cmd.SetAction(parse =>
        {
            var options = new SampleEvaluationOptions
            {
                Count = parse.GetValue(count), Temperature = parse.GetValue(temperature), Guidance = parse.GetValue(guidance), Seed = SeedOption.Stream(parse.GetValue(seed)),
            };
            if (options.Count < 2) throw new UserError($"--count must be at least 2 (got {options.Count})");
            if (!(options.Temperature > 0)) throw new UserError($"--temperature must be > 0 (got {options.Temperature})");
            var result = Run(DeviceOption.Open(parse.GetValue(device)!),
                new EvaluationInputs(parse.GetValue(vqvae)!, parse.GetValue(prior)!, parse.GetValue(classifier), parse.GetValue(cacheDir)), options, parse.GetValue(outDir)!);
            Print(result);
            Console.WriteLine($"wrote {Path.Combine(parse.GetValue(outDir)!, "evaluation.json")} and nearest.png");
            return 0;
        });
        return cmd;
    }

    /// <summary>Evaluates into <paramref name="outDir"/>; <paramref name="openDataset"/>, when the caller has the VQ-VAE run's dataset open already, saves opening it again.</summary>
    public static SampleEvaluation Run(ComputeDevice device, EvaluationInputs inputs, SampleEvaluationOptions options, string outDir, ILesionDataset? openDataset = null)
    {
        var info = VqVaeRunInfo.Read(inputs.VqVaePath)
            ?? throw new UserError($"--vqvae '{inputs.VqVaePath}' is not a VQ-VAE run folder (config.json and split.csv name the real images to compare with)");
        using var model = PixelCnnVqVae.Load(device, inputs.VqVaePath, inputs.PriorPath);
        GuidanceOption.Check(options.Guidance, model.Prior.Config);
        using var classifier = inputs.ClassifierPath == null ? null : ClassifierCheckpoint.Load(device, inputs.ClassifierPath);
        if (classifier != null)
        {
            if (classifier.ImageSize != model.ImageSize)
                throw new UserError($"the classifier was trained on {classifier.ImageSize} px images but the VQ-VAE makes {model.ImageSize} px samples");
            if (model.ClassNames.Count > 0 && !classifier.ClassNames.SequenceEqual(model.ClassNames))
                throw new UserError($"the classifier's classes ({string.Join(", ", classifier.ClassNames)}) are not the prior's ({string.Join(", ", model.ClassNames)})");
        }
        var (dataset, split) = openDataset != null ? (openDataset, DataSplit.ReadCsv(info.SplitCsv, openDataset)) : info.Open(inputs.CacheDir);
        using var _ = openDataset == null ? dataset : null;
        if (classifier != null) WarnOnLeakage(inputs.ClassifierPath!, split, dataset);
        IFeatureExtractor extractor = classifier != null ? new ClassifierFeatures(classifier.Model, classifier.ImageSize) : new EncoderFeatures(model.VqVae, model.ImageSize);
        Directory.CreateDirectory(outDir);
        if (split.Train.Length < 2 || split.Test.Length < 2)
            throw new UserError($"the VQ-VAE run's split has {split.Train.Length} train and {split.Test.Length} test images; evaluate needs at least 2 of each");
        using var trainImages = DatasetBatches.ForEvaluation(dataset, split.Train, 64);
        using var testImages = DatasetBatches.ForEvaluation(dataset, split.Test, 64);
        var result = SampleEvaluation.Run(model, extractor, trainImages, testImages, options, Path.Combine(outDir, "nearest.png"));
        result.Save(Path.Combine(outDir, "evaluation.json"));
        return result;
    }

    /// <summary>A classifier trained on another split may have seen the test images: its accuracy and features are then optimistic.</summary>
    static void WarnOnLeakage(string classifierPath, DataSplit split, ILesionDataset dataset)
    {
        var csv = Path.Combine(classifierPath, "split.csv");
        if (!File.Exists(csv)) { Console.WriteLine("warning: the classifier has no split.csv beside it; cannot check that it never trained on the test images"); return; }
        DataSplit own;
        try { own = DataSplit.ReadCsv(csv, dataset); }
        catch (DataError) { Console.WriteLine("warning: the classifier was trained on other data than the VQ-VAE"); return; }
        int leaked = own.Train.Intersect(split.Test).Count();
        if (leaked > 0) Console.WriteLine($"warning: the classifier trained on {leaked} of the {split.Test.Length} test images; train it with the VQ-VAE's --data, --seed and --test-size");
    }

    public static void Print(SampleEvaluation r)
    {
        string F(double? v) => v is { } x ? x.ToString("0.0000", CultureInfo.InvariantCulture) : "n/a";
        string guidance = PriorSampling.Guided(r.Options.Guidance) ? $", guidance {r.Options.Guidance.ToString(CultureInfo.InvariantCulture)}" : "";
        Console.WriteLine($"{r.Samples} samples (T = {r.Options.Temperature.ToString(CultureInfo.InvariantCulture)}{guidance}, {r.SamplingSeconds:0.0} s) vs {r.TestImages} test images; features: {r.FeatureSpace}");
        Console.WriteLine($"  frechet_distance {F(r.FrechetDistance)} (floor {F(r.FrechetFloor)}, VQ-VAE reconstructions {F(r.FrechetReconstruction)}), " +
                          $"kid {F(r.Kid)} (floor {F(r.KidFloor)}, reconstructions {F(r.KidReconstruction)})");
        Console.WriteLine($"  precision {F(r.Precision)} (floor {F(r.PrecisionFloor)}), recall {F(r.Recall)} (floor {F(r.RecallFloor)})");
        Console.WriteLine($"  class_consistency {F(r.ClassConsistency)} (classifier_accuracy {F(r.ClassifierAccuracy)}, VQ-VAE reconstructions {F(r.ClassConsistencyReconstruction)}), memorisation {F(r.Memorisation)}");
        Console.WriteLine($"  codes: distinct share min {F(r.Codes.DistinctShare.Values.Min())}, mean Hamming {F(r.Codes.MeanHamming)} of {r.Codes.Positions} positions");
    }
}
