using System.Diagnostics;
using System.Text.Json;
using IlgpuVq.Data;
using IlgpuVq.Engine.Autograd;
using IlgpuVq.Engine.Memory;
using IlgpuVq.Engine.Serialization;
using IlgpuVq.Engine.Tensors;
using IlgpuVq.Models.Classifier;
using IlgpuVq.Models.Prior;
using IlgpuVq.Models.Training;
using IlgpuVq.Models.VqVae;

namespace IlgpuVq.Models.Evaluation;

/// <summary>How many samples to draw and how.</summary>
public sealed record SampleEvaluationOptions
{
    /// <summary>Samples per class for a class-conditional prior, in all for an unconditional one.</summary>
    public int Count { get; init; } = 32;
    public float Temperature { get; init; } = 1f;
    /// <summary>Classifier-free guidance scale (1: plain conditional sampling; other values need a prior trained with label dropout).</summary>
    public float Guidance { get; init; } = 1f;
    public ulong Seed { get; init; } = 1;
    /// <summary>Samples per class shown in nearest.png.</summary>
    public int NearestPerClass { get; init; } = 4;
}

/// <summary>
/// Measured sample quality of a prior + VQ-VAE against real images, in the feature space of an
/// <see cref="IFeatureExtractor"/>; every number is a pure function of the models, the data, the split and the seed.
/// Distances are paired with their floor: the same distance between an equal-sized random subset of real training
/// images and the test images, i.e. what a perfect generator would get with this many samples.
/// </summary>
public sealed record SampleEvaluation
{
    public required double FrechetDistance { get; init; }
    public required double FrechetFloor { get; init; }
    public required double Kid { get; init; }
    public required double KidFloor { get; init; }
    /// <summary>The RMS of the real test features, by which KID divides every feature (see <see cref="KernelInceptionDistance"/>).</summary>
    public required double KidFeatureScale { get; init; }
    /// <summary>The distances of the VQ-VAE's reconstructions of the floor images: how much of the gap to the floor is the codebook and decoder rather than the prior.</summary>
    public required double FrechetReconstruction { get; init; }
    public required double KidReconstruction { get; init; }
    public required double Precision { get; init; }
    public required double Recall { get; init; }
    public required double PrecisionFloor { get; init; }
    public required double RecallFloor { get; init; }
    /// <summary>Share of class-conditional samples classified as the class they were drawn for; null when the prior is unconditional or there is no classifier.</summary>
    public required double? ClassConsistency { get; init; }
    /// <summary>The same share for the VQ-VAE's reconstructions of the floor images (their true class): what a perfect prior
    /// could reach through this codebook and decoder.</summary>
    public required double? ClassConsistencyReconstruction { get; init; }
    public required IReadOnlyDictionary<string, double>? ClassConsistencyPerClass { get; init; }
    /// <summary>Per class, the share of its floor images whose VQ-VAE reconstruction the classifier puts in that class.</summary>
    public required IReadOnlyDictionary<string, double>? ClassConsistencyReconstructionPerClass { get; init; }
    /// <summary>Balanced accuracy of the classifier on the real test images (the ceiling of class consistency); null without a classifier.</summary>
    public required double? ClassifierAccuracy { get; init; }
    /// <summary>median(nearest-training distance of samples) / median(nearest-training distance of test images).</summary>
    public required double Memorisation { get; init; }
    public required CodeStatistics Codes { get; init; }
    public required int Samples { get; init; }
    public required int TestImages { get; init; }
    public required int TrainImages { get; init; }
    public required int FloorImages { get; init; }
    public required string FeatureSpace { get; init; }
    public required SampleEvaluationOptions Options { get; init; }
    public required bool Conditional { get; init; }
    public required double SamplingSeconds { get; init; }
    /// <summary>The samples themselves (NCHW in [−1, 1]) and the class each was drawn for (0 when unconditional); not in the JSON.</summary>
    public required float[] Images { get; init; }
    public required int[] SampleClasses { get; init; }

    /// <summary>
    /// Samples with <paramref name="model"/>, extracts features of the samples and of every real train and test image,
    /// computes the metrics and, when <paramref name="nearestPath"/> is set, writes each shown sample beside its nearest training image.
    /// </summary>
    public static SampleEvaluation Run(PixelCnnVqVae model, IFeatureExtractor extractor, IImageBatchSource train, IImageBatchSource test,
        SampleEvaluationOptions options, string? nearestPath = null)
    {
        if (extractor.ImageSize != model.ImageSize || train.ImageSize != model.ImageSize || test.ImageSize != model.ImageSize)
            throw new ArgumentException($"the feature extractor works on {extractor.ImageSize} px images, the data is {train.ImageSize} px and the samples are {model.ImageSize} px; they must agree");
        if (options.Count < 2) throw new ArgumentException($"at least 2 samples are needed (got {options.Count})");
        var clock = Stopwatch.StartNew();
        var samples = SampleSet.Draw(model, options.Count, options.Temperature, options.Seed, options.Guidance);
        double samplingSeconds = clock.Elapsed.TotalSeconds;
        var (images, codes, classes, conditional) = samples;

        var sampleFeatures = extractor.Extract(new InMemoryBatches(images, samples.Labels, model.ImageSize, 64));
        var trainFeatures = extractor.Extract(train);
        var testFeatures = extractor.Extract(test);
        if (testFeatures.Count < 2 || trainFeatures.Count < 2) throw new ArgumentException("the split needs at least 2 train and 2 test images");

        // The floor: what a perfect generator would be measured at with this draw. For a class-conditional prior that is
        // options.Count real training images of each class (the samples' class mix, not the data's); otherwise as many random
        // real training images as there are samples. Seeded.
        var floorIndices = conditional
            ? Stratified(trainFeatures.Labels, model.ClassNames.Count, options.Count, options.Seed)
            : Subset(trainFeatures.Count, Math.Min(classes.Length, trainFeatures.Count), options.Seed);
        var floor = trainFeatures.Rows(floorIndices);
        // What the VQ-VAE alone costs: the floor images through encode → quantize → decode, then measured like samples.
        var floorImages = Collect(train, floorIndices.ToHashSet());
        var reconImages = Reconstruct(model.VqVae, floorIndices.SelectMany(i => floorImages[i]).ToArray(), model.ImageSize);
        var reconFeatures = extractor.Extract(new InMemoryBatches(reconImages, Enumerable.Repeat(-1, floorIndices.Length).ToArray(), model.ImageSize, 64));
        var (precision, recall) = ManifoldPrecisionRecall.Compute(testFeatures.Features, sampleFeatures.Features);
        var (precisionFloor, recallFloor) = ManifoldPrecisionRecall.Compute(testFeatures.Features, floor);

        var (nearest, sampleDistance) = NearestNeighbours.Nearest(sampleFeatures.Features, trainFeatures.Features);
        var (_, testDistance) = NearestNeighbours.Nearest(testFeatures.Features, trainFeatures.Features);
        double memorisation = NearestNeighbours.Median(sampleDistance) / NearestNeighbours.Median(testDistance);

        double? consistency = null, accuracy = null, reconConsistency = null;
        Dictionary<string, double>? perClass = null, reconPerClass = null;
        if (extractor.Classifies)
        {
            var names = model.ClassNames;
            var report = ClassificationReport.From(names.Count > 0 ? names : TestClassNames(testFeatures), testFeatures.Labels, testFeatures.Predicted!);
            accuracy = report.BalancedAccuracy;
            if (conditional)
            {
                consistency = samples.Consistency(sampleFeatures);
                // Floor image i is recognised when its reconstruction is put in the class of the real image.
                var recognised = Enumerable.Range(0, floorIndices.Length).Select(i => reconFeatures.Predicted![i] == trainFeatures.Labels[floorIndices[i]]).ToArray();
                reconConsistency = recognised.Count(r => r) / (double)recognised.Length;
                perClass = names.Select((n, c) => (n, c)).ToDictionary(p => p.n,
                    p => Enumerable.Range(0, classes.Length).Count(i => classes[i] == p.c && sampleFeatures.Predicted![i] == p.c) / (double)options.Count);
                // Per class of the floor images (a class without training images has none and is left out).
                reconPerClass = Enumerable.Range(0, floorIndices.Length).GroupBy(i => trainFeatures.Labels[floorIndices[i]]).OrderBy(g => g.Key)
                    .ToDictionary(g => names[g.Key], g => g.Count(i => recognised[i]) / (double)g.Count());
            }
        }
        double kidScale = KernelInceptionDistance.ScaleOf(testFeatures.Features);
        if (nearestPath != null)
            SaveNearest(nearestPath, images, classes, nearest, train, model, conditional, options.NearestPerClass);

        return new SampleEvaluation
        {
            FrechetDistance = Evaluation.FrechetDistance.Between(sampleFeatures.Features, testFeatures.Features),
            FrechetFloor = Evaluation.FrechetDistance.Between(floor, testFeatures.Features),
            Kid = KernelInceptionDistance.Between(sampleFeatures.Features, testFeatures.Features, kidScale),
            KidFloor = KernelInceptionDistance.Between(floor, testFeatures.Features, kidScale), KidFeatureScale = kidScale,
            FrechetReconstruction = Evaluation.FrechetDistance.Between(reconFeatures.Features, testFeatures.Features),
            KidReconstruction = KernelInceptionDistance.Between(reconFeatures.Features, testFeatures.Features, kidScale),
            Precision = precision, Recall = recall, PrecisionFloor = precisionFloor, RecallFloor = recallFloor,
            ClassConsistency = consistency, ClassConsistencyReconstruction = reconConsistency, ClassConsistencyPerClass = perClass, ClassConsistencyReconstructionPerClass = reconPerClass, ClassifierAccuracy = accuracy, Memorisation = memorisation,
            Codes = CodeStatistics.From(codes, model.Height * model.Width, samples.Labels, model.ClassNames),
            Samples = classes.Length, TestImages = testFeatures.Count, TrainImages = trainFeatures.Count, FloorImages = floor.Length,
            FeatureSpace = extractor.Description, Options = options, Conditional = conditional, SamplingSeconds = samplingSeconds,
            Images = images, SampleClasses = classes,
        };
    }

    static IReadOnlyList<string> TestClassNames(FeatureSet test) =>
        Enumerable.Range(0, Math.Max(test.Labels.DefaultIfEmpty(0).Max(), test.Predicted!.DefaultIfEmpty(0).Max()) + 1).Select(c => $"class {c}").ToList();

    /// <summary><paramref name="take"/> distinct indices of [0, n), a seeded partial Fisher–Yates shuffle, in ascending order.</summary>
    public static int[] Subset(int n, int take, ulong seed)
    {
        var all = Enumerable.Range(0, n).ToArray();
        var rng = new Random(unchecked((int)(seed ^ (seed >> 32))));
        for (int i = 0; i < take; i++)
        {
            int j = rng.Next(i, n);
            (all[i], all[j]) = (all[j], all[i]);
        }
        return all[..take].Order().ToArray();
    }

    /// <summary>nearest.png: per class a row of (sample, its nearest training image) pairs.</summary>
    static void SaveNearest(string path, float[] images, int[] classes, int[] nearest, IImageBatchSource train, PixelCnnVqVae model, bool conditional, int perClass)
    {
        int per = 3 * model.ImageSize * model.ImageSize;
        var shown = classes.Select((c, i) => (c, i)).GroupBy(p => p.c).SelectMany(g => g.Take(Math.Max(1, perClass)).Select(p => p.i)).ToArray();
        var trainImages = Collect(train, shown.Select(i => nearest[i]).ToHashSet());
        var tiles = new List<float[]>();
        foreach (var i in shown)
        {
            tiles.Add(images[(i * per)..((i + 1) * per)]);
            tiles.Add(trainImages[nearest[i]]);
        }
        int rows = conditional ? model.ClassNames.Count : 1;
        int columns = 2 * (shown.Length / rows);
        var labels = conditional ? model.ClassNames.Select(n => $"{n}: sample | nearest").ToList() : null;
        ImageGrid.Save(path, tiles, model.ImageSize, columns, labels, TrainingFigures.GridScale(model.ImageSize));
    }

    /// <summary>
    /// <paramref name="perClass"/> indices of each class's images, in class order: a seeded shuffle of the class, repeated
    /// (drawing with replacement only past its size) when the class has fewer images. A class with no image is left out.
    /// </summary>
    public static int[] Stratified(int[] labels, int classes, int perClass, ulong seed)
    {
        var picked = new List<int>();
        for (int c = 0; c < classes; c++)
        {
            var members = Enumerable.Range(0, labels.Length).Where(i => labels[i] == c).ToArray();
            if (members.Length == 0) continue;
            var shuffled = members;
            var rng = new Random(unchecked((int)(seed + (ulong)c)));
            for (int i = members.Length - 1; i > 0; i--) { int j = rng.Next(i + 1); (shuffled[i], shuffled[j]) = (shuffled[j], shuffled[i]); }
            for (int k = 0; k < perClass; k++) picked.Add(shuffled[k % shuffled.Length]);
        }
        return [.. picked];
    }

    /// <summary>The images of a source at the given positions (one pass over the source).</summary>
    static Dictionary<int, float[]> Collect(IImageBatchSource source, IReadOnlySet<int> wanted)
    {
        var found = new Dictionary<int, float[]>();
        int per = 3 * source.ImageSize * source.ImageSize, offset = 0;
        foreach (var batch in source.Epoch(0, 0))
        {
            for (int b = 0; b < batch.Count; b++)
                if (wanted.Contains(offset + b)) found[offset + b] = batch.Images[(b * per)..((b + 1) * per)];
            offset += batch.Count;
        }
        return found;
    }

    /// <summary>The VQ-VAE's reconstructions (encode, quantize, decode; no grad) of images in batches of 64.</summary>
    static float[] Reconstruct(VqVaeModel vqvae, float[] images, int size)
    {
        int per = 3 * size * size, count = images.Length / per;
        var output = new float[images.Length];
        using var noGrad = GradMode.NoGrad();
        for (int start = 0; start < count; start += 64)
        {
            int n = Math.Min(64, count - start);
            using var scope = new TensorScope();
            var x = Tensor.FromArray(vqvae.Device, images[(start * per)..((start + n) * per)], n, 3, size, size);
            vqvae.Forward(x).Reconstruction.ToArray().CopyTo(output, start * per);
        }
        return output;
    }

    /// <summary>evaluation.json: the metrics under their names, then the extras; no timings, so the file is a pure function of the seed.</summary>
    public Dictionary<string, object?> ToJson() => new()
    {
        ["frechet_distance"] = FrechetDistance, ["frechet_floor"] = FrechetFloor, ["kid"] = Kid, ["kid_floor"] = KidFloor, ["kid_feature_scale"] = KidFeatureScale,
        ["precision"] = Precision, ["recall"] = Recall, ["class_consistency"] = ClassConsistency, ["class_consistency_reconstruction"] = ClassConsistencyReconstruction, ["classifier_accuracy"] = ClassifierAccuracy,
        ["memorisation"] = Memorisation, ["codes"] = Codes.ToJson(),
        ["frechet_reconstruction"] = FrechetReconstruction, ["kid_reconstruction"] = KidReconstruction, ["precision_floor"] = PrecisionFloor, ["recall_floor"] = RecallFloor, ["class_consistency_per_class"] = ClassConsistencyPerClass, ["class_consistency_reconstruction_per_class"] = ClassConsistencyReconstructionPerClass,
        ["samples"] = Samples, ["samples_per_class"] = Conditional ? Options.Count : null, ["conditional"] = Conditional,
        ["temperature"] = Options.Temperature, ["guidance"] = Options.Guidance, ["seed"] = Options.Seed, ["test_images"] = TestImages, ["train_images"] = TrainImages,
        ["floor_images"] = FloorImages, ["feature_space"] = FeatureSpace, ["nearest_neighbours_k"] = ManifoldPrecisionRecall.K,
    };

    public void Save(string path) =>
        AtomicFile.WriteAllText(path, JsonSerializer.Serialize(ToJson(), new JsonSerializerOptions { WriteIndented = true }));
}
