using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using IlgpuVq.Engine.Devices;
using IlgpuVq.Engine.Memory;
using IlgpuVq.Engine.Ops;
using IlgpuVq.Engine.Serialization;
using IlgpuVq.Engine.Tensors;

namespace IlgpuVq.Models.Training;

/// <summary>The outcome of a training run.</summary>
public sealed record TrainResult(int EpochsCompleted, long Steps, bool Interrupted, IReadOnlyList<Dictionary<string, double>> Metrics);

/// <summary>
/// Epochs of an <see cref="ITrainingTask{TBatch}"/> into a run folder: per-epoch metrics (train loss terms,
/// validation metrics, images/s, learning rate) in metrics.jsonl/csv, plots/losses.png, figures, and
/// checkpoints (keep last N + best). Loss terms are summed on the device and read once per epoch (and every
/// <see cref="TrainingOptions.LogEvery"/> steps for the progress display). Resume is exact: the checkpoint
/// holds weights, buffers, optimizer moments, step, position in the epoch and the partial epoch sums.
/// </summary>
public sealed class TrainingLoop<TBatch>
{
    readonly ComputeDevice device;
    readonly ITrainingTask<TBatch> task;
    readonly TrainingOptions options;
    readonly ITrainingReporter reporter;
    readonly RunFolder run;
    readonly MetricsLog metrics;
    readonly CheckpointStore checkpoints;

    public TrainingLoop(ComputeDevice device, ITrainingTask<TBatch> task, TrainingOptions options, ITrainingReporter? reporter = null)
    {
        this.device = device;
        this.task = task;
        this.options = options;
        this.reporter = reporter ?? new SilentReporter();
        run = new RunFolder(options.OutDir);
        metrics = new MetricsLog(run);
        checkpoints = new CheckpointStore(run.Checkpoints, options.KeepLast);
    }

    public TrainResult Run(CancellationToken cancel = default)
    {
        run.Create();
        var sums = task.LossNames.Select(_ => Tensor.Persistent(device, DType.Float32, 1)).ToArray();
        try { return RunEpochs(sums, cancel); }
        finally { foreach (var s in sums) s.Dispose(); }
    }

    TrainResult RunEpochs(Tensor[] sums, CancellationToken cancel)
    {
        float baseLr = task.Optimizer.LearningRate;
        long totalSteps = (long)options.Epochs * task.BatchesPerEpoch;
        int startEpoch = 1, startBatch = 0;
        long step = 0;
        double best = double.PositiveInfinity;
        if (options.Resume && checkpoints.LoadLatest() is { } ck)
        {
            if (ck.Info.GetValueOrDefault("format") != Format)
                throw new CheckpointException($"'{run.Root}' holds a {ck.Info.GetValueOrDefault("format", "unknown")} checkpoint, not {Format}");
            task.Model.LoadStateDict(ck.Model);
            OptimizerCheckpoint.Load(task.Optimizer, ck.TrainState);
            step = ck.Step;
            startEpoch = ck.Epoch + 1;
            startBatch = int.Parse(ck.Info["batch_position"], CultureInfo.InvariantCulture);
            best = double.Parse(ck.Info["best_val"], CultureInfo.InvariantCulture);
            for (int i = 0; i < sums.Length; i++)
                if (ck.TrainState.TryGetValue(SumName(i), out var h)) sums[i].CopyFrom(h.Floats!);
            metrics.LoadUpTo(ck.Epoch);
            reporter.Message($"resumed from {run.Root}: epoch {ck.Epoch} done, step {step}, batch {startBatch} of epoch {startEpoch}");
        }
        WriteConfig(); // on resume too: the same settings, a larger --epochs recorded

        for (int epoch = startEpoch; epoch <= options.Epochs; epoch++)
        {
            if (startBatch == 0) foreach (var s in sums) s.Zero();
            reporter.EpochStarted(epoch, options.Epochs, task.BatchesPerEpoch);
            var clock = Stopwatch.StartNew();
            int position = startBatch, images = 0;
            foreach (var batch in task.Batches(epoch, startBatch))
            {
                if (cancel.IsCancellationRequested || step == options.StopAtStep)
                {
                    Save(epoch - 1, step, position, best, sums, isBest: false);
                    reporter.Message($"stopped: checkpoint saved at epoch {epoch}, batch {position}; continue with --resume");
                    return new TrainResult(epoch - 1, step, true, metrics.Rows);
                }
                task.Optimizer.LearningRate = (float)(baseLr * options.LrSchedule.Factor(step, totalSteps));
                var (loss, detail) = Step(batch, sums, step, readLoss: (step + 1) % Math.Max(1, options.LogEvery) == 0);
                if (loss is { } l && !float.IsFinite(l)) throw NonFinite(epoch, step);
                step++;
                position++;
                images += task.Count(batch);
                reporter.BatchDone(position, loss, detail, images / Math.Max(1e-9, clock.Elapsed.TotalSeconds));
            }
            var row = new Dictionary<string, double> { ["epoch"] = epoch, ["step"] = step };
            for (int i = 0; i < sums.Length; i++)
            {
                var mean = sums[i].Item() / task.BatchesPerEpoch;
                if (!double.IsFinite(mean)) throw NonFinite(epoch, step);
                row["train_" + task.LossNames[i]] = mean;
            }
            var seconds = clock.Elapsed.TotalSeconds;
            var (val, selection) = task.Validate();
            foreach (var (k, v) in val) row[k] = v;
            task.AddDerivedMetrics(row);
            row["images_per_s"] = images / Math.Max(1e-9, seconds);
            row["lr"] = task.Optimizer.LearningRate;
            metrics.Append(row);
            TrainingFigures.LossPlot(run.LossPlot, metrics);
            if (epoch % Math.Max(1, options.GridEvery) == 0 || epoch == options.Epochs) task.Figures(run.Root, epoch);
            bool isBest = selection < best;
            if (isBest) best = selection;
            Save(epoch, step, 0, best, sums, isBest);
            reporter.EpochDone(epoch, row);
            if (task.EpochWarning(row) is { } warning) reporter.Message($"warning: {warning}");
            startBatch = 0;
        }
        return new TrainResult(options.Epochs, step, false, metrics.Rows);
    }

    string Format => $"ilgpuvq-{task.Kind}-1";
    static string SumName(int i) => $"loop.loss_sum.{i}";

    (float? Loss, string? Detail) Step(TBatch batch, Tensor[] sums, long step, bool readLoss)
    {
        using var scope = new TensorScope();
        var (terms, total) = TrainingStep.Run(task, batch, step);
        for (int i = 0; i < sums.Length; i++) Elementwise.AddInPlace(sums[i], terms[i]);
        return readLoss ? (total.Item(), task.ProgressDetail()) : (null, null);
    }

    NonFiniteLossException NonFinite(int epoch, long step) =>
        new($"the loss became NaN or infinite at epoch {epoch}, step {step}; training stopped and the last good checkpoint in '{run.Checkpoints}' was kept (try a lower learning rate)");

    void Save(int epoch, long step, int position, double best, Tensor[] sums, bool isBest)
    {
        var info = new Dictionary<string, string>(task.CheckpointInfo)
        {
            ["format"] = Format,
            ["epoch"] = epoch.ToString(CultureInfo.InvariantCulture),
            ["step"] = step.ToString(CultureInfo.InvariantCulture),
            ["batch_position"] = position.ToString(CultureInfo.InvariantCulture),
            ["best_val"] = best.ToString("R", CultureInfo.InvariantCulture),
        };
        var state = OptimizerCheckpoint.ToHost(task.Optimizer);
        for (int i = 0; i < sums.Length; i++) state.Add(new HostTensor(SumName(i), [1], sums[i].ToArray(), null));
        checkpoints.Save(epoch, task.Model.StateDictToHost(), state, info, isBest);
    }

    void WriteConfig()
    {
        var config = new Dictionary<string, object?>(task.Config)
        {
            ["model"] = task.Kind, ["epochs"] = options.Epochs, ["lr_schedule"] = options.LrSchedule.Name(), ["grid_every"] = options.GridEvery, ["keep_last"] = options.KeepLast, ["device"] = device.Name,
        };
        if (options.Arguments != null) config["options"] = options.Arguments;
        AtomicFile.WriteAllText(run.Config, JsonSerializer.Serialize(config, new JsonSerializerOptions { WriteIndented = true }));
    }
}
