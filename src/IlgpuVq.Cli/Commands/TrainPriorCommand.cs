using System.CommandLine;
using IlgpuVq.Engine.Devices;
using IlgpuVq.Models.Prior;
using IlgpuVq.Models.Training;
using IlgpuVq.Models.VqVae;

namespace IlgpuVq.Cli.Commands;

/// <summary>What a prior run needs.</summary>
public sealed record PriorJobOptions(TrainingOptions Training, PriorSettings Settings, string VqVaePath, bool? ClassConditional, string? CacheDir,
    QualityProbeSettings? Quality = null);

/// <summary><c>ilgpuvq train prior</c>: a Gated PixelCNN on the code maps of a trained VQ-VAE.</summary>
public static class TrainPriorCommand
{
    public static Command Create()
    {
        var run = new TrainCommand.RunOptions();
        var preset = ModelPreset.Default; // the defaults of every size and of the schedule
        var vqvae = new Option<string>("--vqvae") { Description = "the VQ-VAE run folder (its data, split and best checkpoint are used); required unless --resume" };
        var layers = new Option<int>("--layers") { Description = "gated 3x3 mask-B layers after the 7x7 mask-A layer", DefaultValueFactory = _ => preset.Prior.Layers };
        var channels = new Option<int>("--channels") { Description = "channels of both stacks", DefaultValueFactory = _ => preset.Prior.Channels };
        var head = new Option<int>("--head-channels") { DefaultValueFactory = _ => preset.Prior.HeadChannels };
        var conditional = new Option<bool?>("--class-conditional") { Description = "per-class gate bias (default: on when the data has labels)" };
        var dropout = new Option<double>("--label-dropout")
        {
            Description = "probability of training an example under the null class instead of its own (classifier-free guidance: sample/evaluate --guidance S); 0 = none",
            DefaultValueFactory = _ => preset.Prior.LabelDropout,
        };
        var balance = DataCliOptions.BalanceOption();
        var noAugment = new Option<bool>("--no-augment") { Description = "learn the code maps of the training images only, not also of their flips" };
        var cacheDir = new Option<string?>("--cache-dir") { Description = "preprocessing cache folder of the dataset" };
        var cmd = new Command("prior", "Train a Gated PixelCNN prior on a VQ-VAE's code maps (encoded once, cached by checkpoint hash)") { vqvae, layers, channels, head, conditional, dropout, balance, noAugment, cacheDir };
        run.AddTo(cmd);
        var quality = new QualityProbeOptions();
        quality.AddTo(cmd, everyEpochs: true);
        cmd.SetAction(parse =>
        {
            parse = run.Resolve(parse);
            if (parse.GetValue(vqvae) == null) throw new UserError("--vqvae is required: the VQ-VAE run folder whose code maps the prior learns");
            var training = run.Training(parse, defaultEpochs: preset.PriorSchedule.Epochs);
            var settings = new PriorSettings
            {
                Model = new PixelCnnConfig
                {
                    Layers = parse.GetValue(layers), Channels = parse.GetValue(channels), HeadChannels = parse.GetValue(head), LabelDropout = parse.GetValue(dropout),
                },
                BatchSize = parse.GetValue(run.BatchSize) ?? preset.PriorSchedule.BatchSize, LearningRate = parse.GetValue(run.Lr) ?? preset.PriorSchedule.LearningRate, WeightDecay = parse.GetValue(run.WeightDecay),
                Balance = parse.GetValue(balance), Augment = !parse.GetValue(noAugment),
            };
            UserError.Check(settings.Model.Validate);
            var device = DeviceOption.Open(parse.GetValue(run.Device)!);
            var job = new PriorJobOptions(training, settings, parse.GetValue(vqvae)!, parse.GetValue(conditional), parse.GetValue(cacheDir), quality.Parse(parse));
            return CtrlCStop.Train("train prior", training.OutDir, cancel => Run(device, job, cancel));
        });
        return cmd;
    }

    public static TrainResult Run(ComputeDevice device, PriorJobOptions o, CancellationToken cancel)
    {
        var info = VqVaeRunInfo.Read(o.VqVaePath)
            ?? throw new UserError($"--vqvae '{o.VqVaePath}' is not a VQ-VAE run folder (config.json and split.csv are needed to encode its data)");
        using var vq = VqVaeCheckpoint.Load(device, o.VqVaePath);
        var (dataset, split) = info.Open(o.CacheDir);
        using var _ = dataset;
        bool conditional = o.ClassConditional ?? dataset.HasLabels;
        if (conditional && !dataset.HasLabels) throw new UserError("--class-conditional needs class labels, and this dataset has none");
        if (!conditional && o.Settings.Model.LabelDropout > 0)
            throw new UserError("--label-dropout needs a class-conditional prior (it trains the null class of classifier-free guidance)");
        if (o.Settings.Balance && !dataset.HasLabels) throw new UserError("--balance needs class labels, and this dataset has none");
        // A resumed run keeps the maps it trained on: config.json's "augment" (absent in runs begun before flip augmentation: none).
        var run = new RunFolder(o.Training.OutDir);
        bool augment = o.Training.Resume && File.Exists(run.Config)
            ? RunConfigJson.Read(run.Config, c => c.TryGetProperty("augment", out var a) && a.GetString() == CodeDataset.AugmentName(CodeDataset.FlipVariants))
            : o.Settings.Augment;
        var settings = o.Settings with
        {
            Model = o.Settings.Model with { NumCodes = vq.Model.Config.NumCodes, NumClasses = conditional ? dataset.ClassNames.Count : 0 },
            ClassNames = conditional ? dataset.ClassNames : [],
            Augment = augment,
            Seed = (ulong)info.Seed,
        };
        run.Create();
        var hash = CodeDataset.Hash(vq.ModelFile);
        using var trainImages = DatasetBatches.ForEvaluation(dataset, split.Train, 32);
        using var testImages = DatasetBatches.ForEvaluation(dataset, split.Test, 32);
        var (trainMaps, testMaps, cached) = CodeDataset.LoadOrEncode(run.Root, hash, vq.Model, trainImages, testImages, settings.Augment);
        Console.WriteLine($"code maps: {trainMaps.Count} train, {testMaps.Count} test, {trainMaps.Height}x{trainMaps.Width} codes each" +
                          (trainMaps.Variants > 1 ? $", {trainMaps.Variants} per training image with its flips" : "") + $" ({(cached ? "cached" : "encoded")}, VQ-VAE sha256 {hash[..12]}…)");
        using var task = new PriorTrainingTask(device, settings, trainMaps, testMaps, vq, hash);
        using var probe = o.Quality?.Open(device, dataset, split);
        var loopTask = probe?.Wrap(task, vq.Model, settings.ClassNames) ?? (ITrainingTask<CodeBatch>)task;
        return TrainingConsole.Run(reporter => new TrainingLoop<CodeBatch>(device, loopTask, o.Training, reporter).Run(cancel));
    }
}
