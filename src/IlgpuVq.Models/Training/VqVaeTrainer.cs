using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using IlgpuVq.Engine.Autograd;
using IlgpuVq.Engine.Devices;
using IlgpuVq.Engine.Memory;
using IlgpuVq.Engine.Ops;
using IlgpuVq.Engine.Optim;
using IlgpuVq.Engine.Serialization;
using IlgpuVq.Engine.Tensors;
using IlgpuVq.Models.VqVae;

namespace IlgpuVq.Models.Training;

/// <summary>The outcome of <see cref="VqVaeTrainer.Run"/>.</summary>
public sealed record TrainResult(int EpochsCompleted, long Steps, bool Interrupted, IReadOnlyList<Dictionary<string, double>> Metrics);

/// <summary>
/// Trains a <see cref="VqVaeModel"/> into a run folder: AdamW, per-epoch metrics (train/val reconstruction and
/// quantization loss, perplexity, codes used, images/s, learning rate), loss plots, reconstruction grids and
/// checkpoints. Resuming continues exactly: batch order and augmentation are pure functions of (seed, epoch,
/// position), and the checkpoint holds weights, optimizer moments, step and position.
/// </summary>
public sealed class VqVaeTrainer
{
    readonly ComputeDevice device;
    readonly VqVaeTrainOptions options;
    readonly ITrainingReporter reporter;
    readonly RunFolder run;
    readonly MetricsLog metrics;
    readonly CheckpointStore checkpoints;

    public VqVaeTrainer(ComputeDevice device, VqVaeTrainOptions options, ITrainingReporter? reporter = null)
    {
        this.device = device;
        this.options = options;
        this.reporter = reporter ?? new SilentReporter();
        run = new RunFolder(options.OutDir);
        metrics = new MetricsLog(run);
        checkpoints = new CheckpointStore(run.Checkpoints, options.KeepLast);
    }

    public RunFolder Run => run;

    /// <summary>Trains on <paramref name="train"/>, validates on <paramref name="validation"/>; <paramref name="gridImages"/> are the fixed images of the reconstruction grids.</summary>
    public TrainResult Train(IImageBatchSource train, IImageBatchSource validation, ImageBatch gridImages, CancellationToken cancel = default)
    {
        options.Model.Validate(train.ImageSize);
        run.Create();
        using var model = new VqVaeModel(device, options.Model, options.Seed);
        var optimizer = new AdamW(model.Parameters(), options.LearningRate, weightDecay: options.WeightDecay);
        int startEpoch = 1, startBatch = 0;
        long step = 0;
        double bestVal = double.PositiveInfinity;
        using var accRecon = Tensor.Persistent(device, DType.Float32, 1);
        using var accQuant = Tensor.Persistent(device, DType.Float32, 1);

        if (options.Resume && checkpoints.LoadLatest() is { } ck)
        {
            model.LoadStateDict(ck.Model);
            OptimizerCheckpoint.Load(optimizer, ck.TrainState);
            step = ck.Step;
            startEpoch = ck.Epoch + 1;
            startBatch = int.Parse(ck.Info["batch_position"], CultureInfo.InvariantCulture);
            bestVal = double.Parse(ck.Info["best_val"], CultureInfo.InvariantCulture);
            if (ck.TrainState.TryGetValue("acc.recon", out var r)) accRecon.CopyFrom(r.Floats!);
            if (ck.TrainState.TryGetValue("acc.quant", out var q)) accQuant.CopyFrom(q.Floats!);
            metrics.LoadUpTo(ck.Epoch);
            reporter.Message($"resumed from epoch {ck.Epoch}, step {step}, batch {startBatch}");
        }
        else WriteConfig(train, validation);

        for (int epoch = startEpoch; epoch <= options.Epochs; epoch++)
        {
            if (startBatch == 0) { accRecon.Zero(); accQuant.Zero(); }
            reporter.EpochStarted(epoch, options.Epochs, train.BatchesPerEpoch);
            var clock = Stopwatch.StartNew();
            int batchIndex = startBatch, images = 0;
            foreach (var batch in train.Epoch(epoch, startBatch))
            {
                if (cancel.IsCancellationRequested || step == options.StopAtStep)
                {
                    SaveCheckpoint(model, optimizer, epoch - 1, step, batchIndex, bestVal, accRecon, accQuant, isBest: false);
                    reporter.Message($"interrupted: checkpoint saved at epoch {epoch}, batch {batchIndex}");
                    return new TrainResult(epoch - 1, step, true, metrics.Rows);
                }
                float? loss = TrainStep(model, optimizer, batch, accRecon, accQuant, readLoss: (step + 1) % options.LogEvery == 0);
                if (loss is { } l && !float.IsFinite(l)) throw NonFinite(epoch, step);
                step++;
                batchIndex++;
                images += batch.Count;
                reporter.BatchDone(batchIndex, loss, images / Math.Max(1e-9, clock.Elapsed.TotalSeconds));
            }
            int batches = train.BatchesPerEpoch;
            double trainRecon = accRecon.Item() / batches, trainQuant = accQuant.Item() / batches;
            if (!double.IsFinite(trainRecon) || !double.IsFinite(trainQuant)) throw NonFinite(epoch, step);
            var seconds = clock.Elapsed.TotalSeconds;
            var val = Evaluate(model, validation);
            var row = new Dictionary<string, double>
            {
                ["epoch"] = epoch, ["step"] = step,
                ["train_recon_loss"] = trainRecon, ["train_quant_loss"] = trainQuant,
                ["val_recon_loss"] = val.Recon, ["val_quant_loss"] = val.Quant,
                ["perplexity"] = val.Perplexity, ["codes_used"] = val.CodesUsed,
                ["images_per_s"] = images / Math.Max(1e-9, seconds), ["lr"] = optimizer.LearningRate,
            };
            metrics.Append(row);
            TrainingFigures.LossPlot(run.LossPlot, metrics);
            if (epoch % options.GridEvery == 0 || epoch == options.Epochs)
                TrainingFigures.ReconstructionGrid(run.Grid("recon", epoch), model, gridImages);
            var valLoss = val.Recon + val.Quant;
            bool best = valLoss < bestVal;
            if (best) bestVal = valLoss;
            SaveCheckpoint(model, optimizer, epoch, step, 0, bestVal, accRecon, accQuant, best);
            reporter.EpochDone(epoch, row);
            startBatch = 0;
        }
        return new TrainResult(options.Epochs, step, false, metrics.Rows);
    }

    NonFiniteLossException NonFinite(int epoch, long step) =>
        new($"the loss became NaN or infinite at epoch {epoch}, step {step}; training stopped and the last good checkpoint in '{run.Checkpoints}' was kept (try a lower learning rate)");

    float? TrainStep(VqVaeModel model, AdamW optimizer, ImageBatch batch, Tensor accRecon, Tensor accQuant, bool readLoss)
    {
        using var scope = new TensorScope();
        var x = Tensor.FromArray(device, batch.Images, batch.Count, 3, batch.ImageSize, batch.ImageSize);
        var output = model.Forward(x);
        output.Loss.Backward();
        optimizer.Step();
        optimizer.ZeroGrad();
        Elementwise.AddInPlace(accRecon, output.ReconstructionLoss);
        Elementwise.AddInPlace(accQuant, output.QuantizationLoss);
        return readLoss ? output.Loss.Item() : null;
    }

    /// <summary>Mean losses over a split (no grad) and code usage: perplexity exp(−Σ p log p) and the number of codes used.</summary>
    public static (double Recon, double Quant, double Perplexity, int CodesUsed) Evaluate(VqVaeModel model, IImageBatchSource data)
    {
        var device = model.Device;
        double recon = 0, quant = 0;
        int batches = 0;
        var counts = new int[model.Config.NumCodes];
        using (GradMode.NoGrad())
            foreach (var batch in data.Epoch(0, 0))
            {
                using var scope = new TensorScope();
                var x = Tensor.FromArray(device, batch.Images, batch.Count, 3, batch.ImageSize, batch.ImageSize);
                var output = model.Forward(x);
                recon += output.ReconstructionLoss.Item();
                quant += output.QuantizationLoss.Item();
                var c = Embedding.CountIndices(output.Indices, model.Config.NumCodes).ToIntArray();
                for (int k = 0; k < c.Length; k++) counts[k] += c[k];
                batches++;
            }
        return (recon / Math.Max(1, batches), quant / Math.Max(1, batches), Codebook.Perplexity(counts), counts.Count(c => c > 0));
    }

    void SaveCheckpoint(VqVaeModel model, AdamW optimizer, int epoch, long step, int batchPosition, double bestVal, Tensor accRecon, Tensor accQuant, bool isBest)
    {
        var info = new Dictionary<string, string>
        {
            ["format"] = "ilgpuvq-vqvae-1", ["preset"] = options.Preset,
            ["config"] = JsonSerializer.Serialize(options.Model),
            ["epoch"] = epoch.ToString(CultureInfo.InvariantCulture), ["step"] = step.ToString(CultureInfo.InvariantCulture),
            ["batch_position"] = batchPosition.ToString(CultureInfo.InvariantCulture),
            ["best_val"] = bestVal.ToString("R", CultureInfo.InvariantCulture), ["seed"] = options.Seed.ToString(CultureInfo.InvariantCulture),
            ["image_size"] = options.DataSettings.TryGetValue("image_size", out var s) ? Convert.ToString(s, CultureInfo.InvariantCulture) ?? "" : "",
        };
        var state = OptimizerCheckpoint.ToHost(optimizer);
        state.Add(new HostTensor("acc.recon", [1], accRecon.ToArray(), null));
        state.Add(new HostTensor("acc.quant", [1], accQuant.ToArray(), null));
        checkpoints.Save(epoch, model.StateDictToHost(), state, info, isBest);
    }

    void WriteConfig(IImageBatchSource train, IImageBatchSource validation)
    {
        var config = new Dictionary<string, object?>
        {
            ["model"] = "vqvae", ["preset"] = options.Preset, ["architecture"] = options.Model,
            ["epochs"] = options.Epochs, ["batch_size"] = options.BatchSize, ["learning_rate"] = options.LearningRate,
            ["weight_decay"] = options.WeightDecay, ["seed"] = options.Seed, ["grid_every"] = options.GridEvery,
            ["keep_last"] = options.KeepLast, ["device"] = device.Name,
            ["train_images"] = train.Count, ["validation_images"] = validation.Count, ["data"] = options.DataSettings,
        };
        AtomicFile.WriteAllText(run.Config, JsonSerializer.Serialize(config, new JsonSerializerOptions { WriteIndented = true }));
    }
}
