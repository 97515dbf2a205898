using System.Globalization;
using System.Text.Json;
using IlgpuVq.Engine.Autograd;
using IlgpuVq.Engine.Devices;
using IlgpuVq.Engine.Memory;
using IlgpuVq.Engine.NN;
using IlgpuVq.Engine.Ops;
using IlgpuVq.Engine.Optim;
using IlgpuVq.Engine.Tensors;
using IlgpuVq.Models.Training;
using IlgpuVq.Models.VqVae;

namespace IlgpuVq.Models.Prior;

/// <summary>Settings of a prior run.</summary>
public sealed record PriorSettings : TrainingSettings
{
    public PixelCnnConfig Model { get; init; } = new();
    /// <summary>Samples per class in each epoch's sample grid.</summary>
    public int SamplesPerClass { get; init; } = 4;
    public IReadOnlyList<string> ClassNames { get; init; } = [];
    /// <summary>Class-balanced training batches (<c>train prior --balance</c>; see <see cref="CodeBatches"/>).</summary>
    public bool Balance { get; init; }
    /// <summary>Also learn the code maps of the training images' flips (<see cref="CodeDataset.FlipVariants"/>; <c>train prior --no-augment</c> turns it off).</summary>
    public bool Augment { get; init; } = true;
}

/// <summary>
/// Training a <see cref="GatedPixelCnn"/> on VQ-VAE code maps: loss term <c>nll</c> (nats per code); validation
/// adds val_nll and bits per dimension of the image (nats per code · h·w / (ln 2 · 3·S²)); figures are grids of
/// samples decoded by the VQ-VAE, a row per class.
/// </summary>
public sealed class PriorTrainingTask : ITrainingTask<CodeBatch>, IDisposable
{
    readonly ComputeDevice device;
    readonly PriorSettings settings;
    readonly CodeBatches train, test;
    readonly LoadedVqVae vqvae;
    readonly string vqvaeHash;

    public PriorTrainingTask(ComputeDevice device, PriorSettings settings, CodeMaps trainMaps, CodeMaps testMaps, LoadedVqVae vqvae, string vqvaeHash)
    {
        this.device = device;
        this.settings = settings;
        this.vqvae = vqvae;
        this.vqvaeHash = vqvaeHash;
        Height = trainMaps.Height;
        Width = trainMaps.Width;
        // Label dropout only in training: validation measures the NLL under the true classes.
        train = new CodeBatches(trainMaps, settings.BatchSize, settings.Seed, shuffle: true, "training code maps",
            settings.Model.HasNullClass ? settings.Model.LabelDropout : 0, settings.Model.NullClass, settings.Balance);
        test = new CodeBatches(testMaps, settings.BatchSize, 0, shuffle: false, "test code maps");
        Prior = new GatedPixelCnn(device, settings.Model, settings.Seed);
        Optimizer = settings.Optimizer(Prior);
    }

    public int Height { get; }
    public int Width { get; }
    public GatedPixelCnn Prior { get; }
    public string Kind => "prior";
    public Module Model => Prior;
    public AdamW Optimizer { get; }
    public IReadOnlyList<string> LossNames { get; } = ["nll"];
    public int BatchesPerEpoch => train.BatchesPerEpoch;
    public IEnumerable<CodeBatch> Batches(int epoch, int startBatch) => train.Epoch(epoch, startBatch);
    public int Count(CodeBatch batch) => batch.Count;

    double BitsPerDim(double natsPerCode) => natsPerCode * Height * Width / (Math.Log(2) * 3 * vqvae.ImageSize * vqvae.ImageSize);

    public (Tensor[] Terms, Tensor Total) Forward(CodeBatch batch)
    {
        var nll = Nll(batch, perPosition: false);
        return ([nll], nll);
    }

    Tensor Nll(CodeBatch batch, bool perPosition)
    {
        var codes = Tensor.FromIntArray(device, batch.Codes, batch.Count, batch.Height, batch.Width);
        var labels = settings.Model.ClassConditional ? Tensor.FromIntArray(device, batch.Labels, batch.Count) : null;
        var logits = Prior.Forward(codes, labels);
        return perPosition ? CrossEntropy.PerPosition(logits, codes) : CrossEntropy.Mean(logits, codes);
    }

    public void AfterStep(long step) { }

    public (Dictionary<string, double> Metrics, double SelectionLoss) Validate()
    {
        double total = 0;
        long positions = 0;
        using (GradMode.NoGrad())
            foreach (var batch in test.Epoch(0, 0))
            {
                using var scope = new TensorScope();
                total += Nll(batch, perPosition: false).Item() * batch.Count * batch.Height * batch.Width;
                positions += (long)batch.Count * batch.Height * batch.Width;
            }
        double nll = total / Math.Max(1, positions);
        return (new Dictionary<string, double> { ["val_nll"] = nll, ["val_bits_per_dim"] = BitsPerDim(nll) }, nll);
    }

    public void AddDerivedMetrics(Dictionary<string, double> row)
    {
        if (row.TryGetValue("train_nll", out var nll)) row["train_bits_per_dim"] = BitsPerDim(nll);
    }

    public void Figures(string runFolder, int epoch)
    {
        using var sampler = new PixelCnnVqVae(vqvae.Model, Prior, settings.ClassNames, Height, Width, ownsModels: false);
        var grid = sampler.SampleGrid(settings.SamplesPerClass, temperature: 1f, seed: 1000 + (ulong)epoch);
        grid.Save(new RunFolder(runFolder).Grid("samples", epoch));
    }

    public IReadOnlyDictionary<string, object?> Config => new Dictionary<string, object?>(settings.ConfigEntries(settings.Model))
    {
        ["vqvae"] = vqvae.ModelFile, ["vqvae_sha256"] = vqvaeHash,
        ["grid"] = $"{Height}x{Width}", ["classes"] = settings.ClassNames, ["train_maps"] = train.Count, ["test_maps"] = test.Count,
        ["balance"] = settings.Balance, ["augment"] = CodeDataset.AugmentName(train.Variants),
    };

    public IReadOnlyDictionary<string, string> CheckpointInfo => new Dictionary<string, string>
    {
        ["config"] = JsonSerializer.Serialize(settings.Model),
        ["vqvae_sha256"] = vqvaeHash,
        ["vqvae_num_codes"] = vqvae.Model.Config.NumCodes.ToString(CultureInfo.InvariantCulture),
        ["vqvae_embedding_dim"] = vqvae.Model.Config.EmbeddingDim.ToString(CultureInfo.InvariantCulture),
        ["grid_height"] = Height.ToString(CultureInfo.InvariantCulture),
        ["grid_width"] = Width.ToString(CultureInfo.InvariantCulture),
        ["image_size"] = vqvae.ImageSize.ToString(CultureInfo.InvariantCulture),
        ["class_names"] = JsonSerializer.Serialize(settings.ClassNames),
    };

    public void Dispose()
    {
        Optimizer.Dispose();
        Prior.Dispose();
    }
}
