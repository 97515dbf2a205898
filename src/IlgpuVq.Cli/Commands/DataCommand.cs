using System.CommandLine;
using System.Globalization;
using IlgpuVq.Data;
using Spectre.Console;

namespace IlgpuVq.Cli.Commands;

/// <summary>
/// <c>ilgpuvq data stats|synth</c>: inspect a dataset (class table, split, figures) and write the synthetic dataset
/// to disk in the HAM10000 layout.
/// </summary>
public static class DataCommand
{
    public static Command Create()
    {
        var cmd = new Command("data", "Inspect datasets and write the synthetic dataset");
        cmd.Subcommands.Add(CreateStats());
        cmd.Subcommands.Add(CreateSynth());
        return cmd;
    }

    static Command CreateStats()
    {
        var data = new DataCliOptions();
        var outDir = OutOption.Create("split.csv, class_distribution.png, augmented_grid.png and skipped.txt");
        var cmd = new Command("stats", "Print the class table of the train/test split and write class_distribution.png and augmented_grid.png") { outDir };
        data.AddTo(cmd);
        cmd.SetAction(parse =>
        {
            var dir = parse.GetValue(outDir)!;
            using var dataset = data.Open(parse);
            var split = DataSplit.Create(dataset, data.TestSize(parse), parse.GetValue(data.Seed));
            Directory.CreateDirectory(dir);
            split.WriteCsv(Path.Combine(dir, "split.csv"));
            PrintClassTable(dataset, split);
            var skipped = dataset.Report.AllProblems().ToList();
            if (skipped.Count > 0) File.WriteAllLines(Path.Combine(dir, "skipped.txt"), skipped);
            if (dataset.HasLabels)
                ClassDistributionPlot.Save(Path.Combine(dir, "class_distribution.png"), dataset.ClassNames,
                    DataSplit.CountByClass(dataset, split.Train), DataSplit.CountByClass(dataset, split.Test),
                    $"Images per class ({dataset.Report.Layout})");
            else
                AnsiConsole.MarkupLine("[yellow]unlabeled data: no class_distribution.png[/]");
            AugmentedGrid.Save(Path.Combine(dir, "augmented_grid.png"), dataset, split.Train, parse.GetValue(data.Seed), AugmentOptions.Default);
            AnsiConsole.MarkupLine($"wrote [bold]{Markup.Escape(Path.GetFullPath(dir))}[/]: split.csv{(dataset.HasLabels ? ", class_distribution.png" : "")}, " +
                                   $"augmented_grid.png{(skipped.Count > 0 ? $", skipped.txt ({skipped.Count} skipped files and rows, each with its reason)" : "")}");
            return 0;
        });
        return cmd;
    }

    static Command CreateSynth()
    {
        var count = new Option<int>("--count") { Description = "number of images", DefaultValueFactory = _ => DataOptions.DefaultSyntheticCount };
        var size = new Option<int>("--image-size") { Description = "image height in pixels (width is 4/3 of it, like HAM10000's 600×450)", DefaultValueFactory = _ => DataOptions.DefaultSyntheticImageSize };
        var outDir = OutOption.Create("the HAM10000 layout: HAM10000_images_part1/, HAM10000_images_part2/ and HAM10000_metadata.csv (new or empty)");
        var seed = SeedOption.Create("the generator");
        var cmd = new Command("synth", "Write synthetic lesions to disk in the HAM10000 layout (JPEGs + HAM10000_metadata.csv)") { count, size, outDir, seed };
        cmd.SetAction(parse =>
        {
            var dir = parse.GetValue(outDir)!;
            SyntheticHamResult result = null!;
            RunWithProgress("drawing synthetic lesions", progress =>
                result = SyntheticHamWriter.Write(dir, parse.GetValue(count), parse.GetValue(size), parse.GetValue(seed), progress));
            var table = new Table().AddColumns("class", "images", "share");
            for (var c = 0; c < LesionClasses.Names.Count; c++)
                table.AddRow(LesionClasses.Names[c], result.ClassCounts[c].ToString(CultureInfo.InvariantCulture), Share(result.ClassCounts[c], result.Images));
            AnsiConsole.Write(table);
            AnsiConsole.MarkupLine($"wrote {result.Images} images of {result.Lesions} lesions to [bold]{Markup.Escape(Path.GetFullPath(dir))}[/]");
            return 0;
        });
        return cmd;
    }

    static void PrintClassTable(ILesionDataset dataset, DataSplit split)
    {
        var r = dataset.Report;
        AnsiConsole.MarkupLine($"[bold]{Markup.Escape(r.Source)}[/]: {r.Layout}, {dataset.Count} images of {dataset.ImageSize}×{dataset.ImageSize}, " +
                               $"{dataset.ClassNames.Count} classes" +
                               (r.CachePath is null ? "" : $", cache {r.Cache.ToString().ToLowerInvariant()} ({Markup.Escape(r.CachePath)})"));
        AnsiConsole.MarkupLine($"split: {Markup.Escape(split.Source)}" + (split.IsGiven ? " (--test-size and --seed do not apply)" : ""));
        if (!dataset.HasLabels)
        {
            AnsiConsole.MarkupLine($"unlabeled: {split.Train.Length} train / {split.Test.Length} test images; class-conditional features " +
                                   "(--balance, class-conditional sampling) need labels: class folders, --labels FILE.csv, HAM10000 or ISIC 2018");
            return;
        }
        var train = DataSplit.CountByClass(dataset, split.Train);
        var test = DataSplit.CountByClass(dataset, split.Test);
        var table = new Table().AddColumns("class", "train", "train %", "test", "test %", "total");
        for (var c = 0; c < dataset.ClassNames.Count; c++)
            table.AddRow(Markup.Escape(dataset.ClassNames[c]), train[c].ToString(CultureInfo.InvariantCulture), Share(train[c], split.Train.Length),
                test[c].ToString(CultureInfo.InvariantCulture), Share(test[c], split.Test.Length), (train[c] + test[c]).ToString(CultureInfo.InvariantCulture));
        table.AddRow("[bold]all[/]", split.Train.Length.ToString(CultureInfo.InvariantCulture), "100.0",
            split.Test.Length.ToString(CultureInfo.InvariantCulture), "100.0", dataset.Count.ToString(CultureInfo.InvariantCulture));
        AnsiConsole.Write(table);
        var groups = Enumerable.Range(0, dataset.Count).Select(dataset.GroupId).Where(g => g is not null).Distinct().Count();
        if (groups > 0) AnsiConsole.MarkupLine($"{groups} lesions; split grouped by lesion id (seed {split.Seed})");
    }

    static string Share(int n, int total) => total == 0 ? "-" : (100.0 * n / total).ToString("0.0", CultureInfo.InvariantCulture);

    /// <summary>Runs work that reports (done, total) under a Spectre progress bar that is cleared when done.</summary>
    public static void RunWithProgress(string description, Action<IProgress<(int done, int total)>> work)
    {
        AnsiConsole.Progress().AutoClear(true)
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new RemainingTimeColumn())
            .Start(ctx =>
            {
                var task = ctx.AddTask(description, autoStart: false, maxValue: 1);
                work(new ProgressBar(task));
            });
    }

    /// <summary>Forwards (done, total) to a Spectre task synchronously on the reporting thread.</summary>
    sealed class ProgressBar(ProgressTask task) : IProgress<(int done, int total)>
    {
        public void Report((int done, int total) value)
        {
            if (!task.IsStarted) task.StartTask();
            task.MaxValue = Math.Max(1, value.total);
            task.Value = value.done;
        }
    }
}

/// <summary>
/// The data options shared by every command that reads a dataset (<c>--data</c>, <c>--image-size</c>, <c>--cache-dir</c>,
/// <c>--test-size</c>, <c>--seed</c>, <c>--strict</c>, <c>--labels</c>, <c>--label-column</c>, <c>--id-column</c>, <c>--max-pixels</c>);
/// training commands can reuse them with <see cref="AddTo"/> and <see cref="Open"/>.
/// </summary>
public sealed class DataCliOptions
{
    public Option<string> Data { get; } = new("--data")
        { Description = "dataset folder (class folders, HAM10000, ISIC 2018 Task 3 or plain images) or synthetic[:count[:size]]", DefaultValueFactory = _ => "synthetic" };
    public Option<int?> ImageSize { get; } = new("--image-size") { Description = "image side in pixels (default 256 for folders, 64 for synthetic)" };
    public Option<string> CacheDir { get; } = new("--cache-dir") { Description = "preprocessing cache folder", DefaultValueFactory = _ => DataOptions.DefaultCacheDir };
    public Option<string> TestSizeOption { get; } = new("--test-size")
        { Description = "test images: N, a fraction (0.1) or a percentage (10%); default 1000, at most 10 %", DefaultValueFactory = _ => "default" };
    public Option<int> Seed { get; } = SeedOption.Create("the split, augmentation, training and synthetic data");
    public Option<bool> Strict { get; } = new("--strict") { Description = "fail on corrupt, missing or unlisted images instead of skipping them" };
    public Option<string?> Labels { get; } = new("--labels") { Description = "CSV of labels for the images of --data (any layout); needs --label-column" };
    public Option<string?> LabelColumn { get; } = new("--label-column")
        { Description = "class column of --labels (its values are the classes), or one-hot columns A,B,C (the column names are the classes)" };
    public Option<string?> IdColumn { get; } = new("--id-column") { Description = "image id column of --labels: file name or path below --data (default: the first column)" };
    public Option<long> MaxPixels { get; } = new("--max-pixels")
        { Description = "skip images whose header declares more pixels than this (width × height)", DefaultValueFactory = _ => DataOptions.DefaultMaxPixels };

    /// <summary><c>--balance</c> for training commands (not added by <see cref="AddTo"/>): class-balanced sampling, see <see cref="BatchLoader"/>.</summary>
    public Option<bool> Balance { get; } = BalanceOption();

    /// <summary>A new <c>--balance</c> option: classes drawn uniformly in training batches (<see cref="BatchOrder.ForEpoch"/>), for
    /// the image trainers and <c>train prior</c> alike.</summary>
    public static Option<bool> BalanceOption() => new("--balance") { Description = "sample classes uniformly in training batches (counters the NV skew; needs labels)" };

    /// <summary>Adds the options to a command.</summary>
    public void AddTo(Command cmd)
    {
        cmd.Options.Add(Data);
        cmd.Options.Add(ImageSize);
        cmd.Options.Add(CacheDir);
        cmd.Options.Add(TestSizeOption);
        cmd.Options.Add(Seed);
        cmd.Options.Add(Strict);
        cmd.Options.Add(Labels);
        cmd.Options.Add(LabelColumn);
        cmd.Options.Add(IdColumn);
        cmd.Options.Add(MaxPixels);
    }

    /// <summary>The parsed test size.</summary>
    public TestSize TestSize(ParseResult parse) => IlgpuVq.Data.TestSize.Parse(parse.GetValue(TestSizeOption)!);

    /// <summary>Loader options for a model whose total downsampling factor is <paramref name="downsample"/>.</summary>
    public DataOptions ToDataOptions(ParseResult parse, int downsample = 1) => new()
    {
        ImageSize = parse.GetValue(ImageSize), CacheDir = parse.GetValue(CacheDir), Strict = parse.GetValue(Strict),
        Seed = parse.GetValue(Seed), Downsample = downsample, MaxPixels = parse.GetValue(MaxPixels), LabelsCsv = parse.GetValue(Labels),
        LabelColumns = (parse.GetValue(LabelColumn) ?? "").Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries),
        IdColumn = parse.GetValue(IdColumn),
    };

    /// <summary>
    /// Opens the dataset, showing a progress bar while a preprocessing cache is built; prints one warning line per kind
    /// of skipped file or row and for classes too small to be in both training and test set.
    /// </summary>
    public ILesionDataset Open(ParseResult parse, int downsample = 1)
    {
        var spec = parse.GetValue(Data)!;
        var opts = ToDataOptions(parse, downsample);
        ILesionDataset dataset = null!;
        if (DatasetLoader.IsSynthetic(spec))
            AnsiConsole.Status().Start("generating synthetic lesions", _ => dataset = DatasetLoader.Open(spec, opts));
        else
            DataCommand.RunWithProgress("preprocessing images", progress => dataset = DatasetLoader.Open(spec, opts with { Progress = progress }));
        foreach (var line in dataset.Report.ProblemLines()) AnsiConsole.MarkupLine($"[yellow]warning:[/] {Markup.Escape(line)}");
        if (dataset.Report.GivenSplit is { } given)
            AnsiConsole.MarkupLine($"the data has its own split: the {Markup.Escape(given)} are the training and test sets (--test-size and --seed do not apply)");
        if (dataset.HasLabels && dataset.RareClasses() is { Count: > 0 } rare)
            AnsiConsole.MarkupLine($"[yellow]warning:[/] {rare.Count} classes have fewer than {DatasetRequirements.MinImagesPerClass} images " +
                                   $"(they cannot be in both training and test set): {Markup.Escape(ProblemList.From(rare).ToString())}");
        return dataset;
    }
}
