using IlgpuVq.Data;
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

namespace IlgpuVq.Models.VqVae;

/// <summary>Model and optimizer settings of a VQ-VAE run.</summary>
public sealed record VqVaeSettings : TrainingSettings
{
    public string Preset { get; init; } = ModelPreset.Demo.Name;
    public VqVaeConfig Model { get; init; } = ModelPreset.Demo.VqVae;
    /// <summary>Data settings (spec, image size, split, augmentation) recorded in config.json.</summary>
    public IReadOnlyDictionary<string, object?> Data { get; init; } = new Dictionary<string, object?>();
}

/// <summary>
/// Training a <see cref="VqVaeModel"/>: loss terms recon_loss (MSE) and quant_loss (codebook + β·commitment);
/// validation adds perplexity, the number of codes used and unused (dead_codes) and restarts; figures are reconstruction
/// grids of fixed images. With <see cref="VqVaeConfig.KMeansInit"/> the codebook is initialised from the first batch.
/// </summary>
public sealed class VqVaeTrainingTask : ITrainingTask<Batch>, IDisposable
{
    readonly ComputeDevice device;
    readonly VqVaeSettings settings;
    readonly IImageBatchSource train, validation;
    readonly Batch gridImages;
    readonly VqVaeModel model;
    VqVaeOutput? last;
    bool warned;

    /// <summary>The share of codes in use below which <see cref="EpochWarning"/> warns.</summary>
    public const double CollapseShare = 0.1;

    public VqVaeTrainingTask(ComputeDevice device, VqVaeSettings settings, IImageBatchSource train, IImageBatchSource validation, Batch gridImages)
    {
        settings.Model.Validate(train.ImageSize);
        this.device = device;
        this.settings = settings;
        this.train = train;
        this.validation = validation;
        this.gridImages = gridImages;
        model = new VqVaeModel(device, settings.Model, settings.Seed);
        Optimizer = settings.Optimizer(model);
    }

    public string Kind => "vqvae";
    public Module Model => model;
    public VqVaeModel VqVae => model;
    public AdamW Optimizer { get; }
    public IReadOnlyList<string> LossNames { get; } = ["recon_loss", "quant_loss"];
    public int BatchesPerEpoch => train.BatchesPerEpoch;
    public IEnumerable<Batch> Batches(int epoch, int startBatch) => train.Epoch(epoch, startBatch);
    public int Count(Batch batch) => batch.Count;

    public (Tensor[] Terms, Tensor Total) Forward(Batch batch)
    {
        var output = model.Forward(Images(batch));
        last = output; // lives until the loop's step scope ends; used by AfterStep and ProgressDetail
        return ([output.ReconstructionLoss, output.QuantizationLoss], output.Loss);
    }

    /// <summary>At global step 0 (with <see cref="VqVaeConfig.KMeansInit"/>): the codebook becomes the k-means codes of
    /// this batch's encoder outputs. Its result is in every checkpoint; resuming at step 0 repeats it from the same batch.</summary>
    public void BeforeStep(Batch batch, long step)
    {
        if (step != 0 || !settings.Model.KMeansInit) return;
        using (GradMode.NoGrad())
            model.Quantizer.Initialize(model.Encoder.Forward(Images(batch)), settings.Seed);
    }

    Tensor Images(Batch batch) => Tensor.FromArray(device, batch.Images, batch.Count, 3, batch.ImageSize, batch.ImageSize);

    /// <summary>Fewer than <see cref="CollapseShare"/> of the codes used on the validation split: once per run.</summary>
    public string? EpochWarning(IReadOnlyDictionary<string, double> row)
    {
        if (warned || !row.TryGetValue("codes_used", out var used) || used >= CollapseShare * model.Config.NumCodes) return null;
        warned = true;
        return $"only {used:0} of {model.Config.NumCodes} codes ({100 * used / model.Config.NumCodes:0.#} %) were used in epoch {row["epoch"]:0}: the codebook " +
               "has collapsed; train with the defaults (EMA updates, dead-code restarts, k-means init: drop --no-ema, --dead-code-window 0 " +
               "and --no-kmeans-init) and consider --lookup-dim 8 or fewer codes (--num-codes)";
    }

    public void AfterStep(long step)
    {
        if (last != null) model.Quantizer.AfterStep(last.Latents, last.Indices, settings.Seed, step);
    }

    /// <summary>The codebook perplexity of the last batch (a host read of K counts).</summary>
    public string? ProgressDetail() => last == null ? null
        : $"ppl {Codebook.Perplexity(Codebook.UsageCounts(last.Indices, model.Config.NumCodes)):0.0}";

    public (Dictionary<string, double> Metrics, double SelectionLoss) Validate()
    {
        var e = Evaluate(model, validation);
        return (new Dictionary<string, double>
        {
            ["val_recon_loss"] = e.Recon, ["val_quant_loss"] = e.Quant, ["perplexity"] = e.Perplexity, ["codes_used"] = e.CodesUsed,
            ["dead_codes"] = model.Config.NumCodes - e.CodesUsed,
            ["codes_restarted"] = model.Quantizer.Restarted?.ToIntArray()[0] ?? 0,
        }, e.Recon + e.Quant);
    }

    public void Figures(string runFolder, int epoch) =>
        TrainingFigures.ReconstructionGrid(new RunFolder(runFolder).Grid("recon", epoch), model, gridImages);

    public IReadOnlyDictionary<string, object?> Config => new Dictionary<string, object?>(settings.ConfigEntries(settings.Model))
    {
        ["preset"] = settings.Preset, ["train_images"] = train.Count, ["validation_images"] = validation.Count, ["image_size"] = train.ImageSize, ["data"] = settings.Data,
    };

    public IReadOnlyDictionary<string, string> CheckpointInfo => new Dictionary<string, string>
    {
        ["preset"] = settings.Preset,
        ["config"] = JsonSerializer.Serialize(settings.Model),
        ["image_size"] = train.ImageSize.ToString(CultureInfo.InvariantCulture),
        ["seed"] = settings.Seed.ToString(CultureInfo.InvariantCulture),
    };

    /// <summary>Mean losses over a split (no grad) and code usage: perplexity exp(−Σ p log p) and the number of codes used.</summary>
    public static (double Recon, double Quant, double Perplexity, int CodesUsed) Evaluate(VqVaeModel model, IImageBatchSource data)
    {
        double recon = 0, quant = 0;
        int batches = 0;
        var counts = new int[model.Config.NumCodes];
        using (GradMode.NoGrad())
            foreach (var batch in data.Epoch(0, 0))
            {
                using var scope = new TensorScope();
                var x = Tensor.FromArray(model.Device, batch.Images, batch.Count, 3, batch.ImageSize, batch.ImageSize);
                var output = model.Forward(x);
                recon += output.ReconstructionLoss.Item();
                quant += output.QuantizationLoss.Item();
                var c = Embedding.CountIndices(output.Indices, model.Config.NumCodes).ToIntArray();
                for (int k = 0; k < c.Length; k++) counts[k] += c[k];
                batches++;
            }
        return (recon / Math.Max(1, batches), quant / Math.Max(1, batches), Codebook.Perplexity(counts), counts.Count(c => c > 0));
    }

    public void Dispose()
    {
        Optimizer.Dispose();
        model.Dispose();
    }
}
