using System.CommandLine;
using IlgpuVq.Data;
using IlgpuVq.Models.Training;
using IlgpuVq.Models.VqVae;

namespace IlgpuVq.Cli.Commands;

/// <summary><c>ilgpuvq train vqvae|prior</c>.</summary>
public static class TrainCommand
{
    public static Command Create()
    {
        var cmd = new Command("train", "Train the VQ-VAE, the PixelCNN prior or the evaluator classifier");
        cmd.Subcommands.Add(CreateVqVae());
        cmd.Subcommands.Add(TrainPriorCommand.Create());
        cmd.Subcommands.Add(ClassifierCommand.Create());
        return cmd;
    }

    /// <summary>Run-folder options shared by both models.</summary>
    public sealed class RunOptions
    {
        public Option<string> Out { get; } = OutOption.Create("the run: config.json, split.csv, metrics.jsonl, plots, image grids, checkpoints/");
        public Option<int?> Epochs { get; } = new("--epochs") { Description = "epochs (default: the preset's)" };
        public Option<int?> BatchSize { get; } = new("--batch-size") { Description = "batch size (default: the preset's)" };
        public Option<float?> Lr { get; } = new("--lr") { Description = "AdamW learning rate (default: the preset's)" };
        public Option<float> WeightDecay { get; } = new("--weight-decay") { DefaultValueFactory = _ => 1e-4f };
        public Option<string> LrSchedule { get; } = LrScheduleOption();

        static Option<string> LrScheduleOption()
        {
            var o = new Option<string>("--lr-schedule")
            {
                Description = "constant: --lr throughout; cosine: --lr decayed to 0 over the run's steps as ½(1 + cos(π t/T))",
                DefaultValueFactory = _ => LearningRateSchedule.Constant.Name(),
            };
            o.AcceptOnlyFromAmong(LearningRateSchedules.Names);
            return o;
        }
        public Option<int> GridEvery { get; } = new("--grid-every") { Description = "write image grids every N epochs", DefaultValueFactory = _ => 1 };
        public Option<int> KeepLast { get; } = new("--keep-last") { Description = "epoch checkpoints to keep (plus the best)", DefaultValueFactory = _ => 3 };
        public Option<bool> Resume { get; } = new("--resume") { Description = "continue the run in --out from its latest checkpoint, exactly, with the settings in its config.json (only a larger --epochs may be given)" };

        /// <summary>With <c>--resume</c>, the run's recorded command line (see <see cref="RunArguments"/>); else <paramref name="p"/>.</summary>
        public ParseResult Resolve(ParseResult p) => p.GetValue(Resume) ? RunArguments.ForResume(p, p.GetValue(Out)!) : p;
        public Option<string> Device { get; } = DeviceOption.Create();

        public void AddTo(Command c)
        {
            foreach (var o in new Option[] { Out, Epochs, BatchSize, Lr, WeightDecay, LrSchedule, GridEvery, KeepLast, Resume, Device }) c.Options.Add(o);
        }

        public TrainingOptions Training(ParseResult p, int defaultEpochs)
        {
            int epochs = p.GetValue(Epochs) ?? defaultEpochs, every = p.GetValue(GridEvery), keep = p.GetValue(KeepLast);
            if (epochs < 1) throw new UserError($"--epochs must be at least 1 (got {epochs})");
            if (every < 1 || keep < 1) throw new UserError("--grid-every and --keep-last must be at least 1");
            var outDir = p.GetValue(Out)!;
            bool resume = p.GetValue(Resume);
            if (resume && !Directory.Exists(Path.Combine(outDir, "checkpoints")))
                throw new UserError($"--resume: '{outDir}' has no checkpoints to continue from");
            if (!resume && Directory.Exists(Path.Combine(outDir, "checkpoints")) && Directory.EnumerateFileSystemEntries(Path.Combine(outDir, "checkpoints")).Any())
                throw new UserError($"'{outDir}' already holds a run; use --resume to continue it or choose another --out (nothing was overwritten)");
            return new TrainingOptions { OutDir = outDir, Epochs = epochs, GridEvery = every, KeepLast = keep, Resume = resume, LrSchedule = LearningRateSchedules.Parse(p.GetValue(LrSchedule)!),
                Arguments = RunArguments.Record(p) };
        }
    }

    static Command CreateVqVae()
    {
        var data = new DataCliOptions();
        var run = new RunOptions();
        var preset = PresetOption.Create(ModelPreset.Default);
        var codes = new Option<int?>("--num-codes") { Description = "codebook size K" };
        var dim = new Option<int?>("--embedding-dim") { Description = "code dimension D" };
        var down = new Option<int?>("--downsample") { Description = "4 or 8 (8 gives a 32x32 code grid at 256 px)" };
        var beta = new Option<float>("--beta") { Description = "commitment cost", DefaultValueFactory = _ => 0.25f };
        var noEma = new Option<bool>("--no-ema") { Description = "train the codebook by the codebook loss instead of EMA updates (decay 0.99, the default)" };
        var dead = new Option<int>("--dead-code-window") { Description = "restart codes unused for N steps (0 = off)", DefaultValueFactory = _ => VqVaeConfig.DefaultDeadCodeWindow };
        var noKMeans = new Option<bool>("--no-kmeans-init") { Description = "keep the random codebook instead of k-means on the first batch's encoder outputs" };
        var lookupDim = new Option<int>("--lookup-dim") { Description = "factorised codes: search in N dimensions (1x1 projections D->N->D; 0 = off)", DefaultValueFactory = _ => 0 };
        var noAugment = new Option<bool>("--no-augment") { Description = "train without flips and colour jitter" };
        var cmd = new Command("vqvae", "Train a VQ-VAE: metrics, loss plots, reconstruction grids, checkpoints, test PSNR/SSIM") { preset, codes, dim, down, beta, noEma, dead, noKMeans, lookupDim, noAugment };
        data.AddTo(cmd);
        cmd.Options.Add(data.Balance);
        run.AddTo(cmd);
        cmd.SetAction(parse =>
        {
            parse = run.Resolve(parse);
            var named = UserError.Check(() => ModelPreset.Named(parse.GetValue(preset)!));
            var config = named.VqVae with
            {
                NumCodes = parse.GetValue(codes) ?? named.VqVae.NumCodes, EmbeddingDim = parse.GetValue(dim) ?? named.VqVae.EmbeddingDim,
                Downsample = parse.GetValue(down) ?? named.VqVae.Downsample, Beta = parse.GetValue(beta), Ema = !parse.GetValue(noEma),
                DeadCodeWindow = parse.GetValue(dead), KMeansInit = !parse.GetValue(noKMeans), LookupDim = parse.GetValue(lookupDim),
            };
            int? size = parse.GetValue(data.ImageSize);
            UserError.Check(() => config.Validate(size ?? (DatasetLoader.IsSynthetic(parse.GetValue(data.Data)!) ? DataOptions.DefaultSyntheticImageSize : DataOptions.DefaultRealImageSize)));
            var schedule = named.VqVaeSchedule;
            var training = run.Training(parse, schedule.Epochs);
            var settings = new VqVaeSettings
            {
                Preset = named.Name, Model = config, BatchSize = parse.GetValue(run.BatchSize) ?? schedule.BatchSize, LearningRate = parse.GetValue(run.Lr) ?? schedule.LearningRate,
                WeightDecay = parse.GetValue(run.WeightDecay), Seed = (ulong)parse.GetValue(data.Seed),
            };
            if (settings.BatchSize < 1 || !(settings.LearningRate > 0)) throw new UserError("--batch-size must be ≥ 1 and --lr > 0");
            var device = DeviceOption.Open(parse.GetValue(run.Device)!);
            using var dataset = data.Open(parse, config.Downsample);
            return CtrlCStop.Train("train vqvae", training.OutDir, cancel => VqVaeJob.Run(device, dataset, new VqVaeJobOptions(training, settings, parse.GetValue(data.Data)!,
                data.TestSize(parse), parse.GetValue(data.Seed), !parse.GetValue(noAugment), parse.GetValue(data.Balance), parse.GetValue(data.MaxPixels)), cancel).Result);
        });
        return cmd;
    }
}
