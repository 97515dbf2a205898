using IlgpuVq.Models.Training;
using Spectre.Console;

namespace IlgpuVq.Cli;

/// <summary>Runs training with a Spectre progress bar when stdout is a terminal, else with one plain line per epoch.</summary>
public static class TrainingConsole
{
    public static T Run<T>(Func<ITrainingReporter, T> train)
    {
        if (Console.IsOutputRedirected || !AnsiConsole.Profile.Capabilities.Interactive)
            return train(new PlainReporter());
        T result = default!;
        AnsiConsole.Progress()
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new RemainingTimeColumn(), new SpinnerColumn())
            .Start(ctx => result = train(new ProgressReporter(ctx)));
        return result;
    }

    static string Format(IReadOnlyDictionary<string, double> m) =>
        string.Join("  ", m.Where(kv => kv.Key is not ("epoch" or "step")).Select(kv => $"{kv.Key} {kv.Value:0.#####}"));

    /// <summary>One line per epoch (logs, CI, pipes).</summary>
    sealed class PlainReporter : ITrainingReporter
    {
        public void EpochStarted(int epoch, int epochs, int batches) { }
        public void BatchDone(int batch, float? loss, string? detail, double imagesPerSecond) { }
        public void EpochDone(int epoch, IReadOnlyDictionary<string, double> metrics) =>
            Console.WriteLine($"epoch {epoch}: {Format(metrics)}");
        public void Message(string text) => Console.WriteLine(text);
    }

    /// <summary>A progress bar per epoch with loss, images/s and ETA.</summary>
    sealed class ProgressReporter(ProgressContext ctx) : ITrainingReporter
    {
        ProgressTask? task;
        int epoch, epochs;
        float lastLoss = float.NaN;
        string lastDetail = "";

        public void EpochStarted(int epoch, int epochs, int batches)
        {
            this.epoch = epoch;
            this.epochs = epochs;
            task = ctx.AddTask($"epoch {epoch}/{epochs}", maxValue: Math.Max(1, batches));
        }

        public void BatchDone(int batch, float? loss, string? detail, double imagesPerSecond)
        {
            if (task == null) return;
            if (loss is { } l) lastLoss = l;
            if (detail != null) lastDetail = detail;
            task.Value = batch;
            task.Description = $"epoch {epoch}/{epochs} loss {lastLoss:0.0000} {lastDetail} {imagesPerSecond:0.0} img/s";
        }

        public void EpochDone(int epoch, IReadOnlyDictionary<string, double> metrics)
        {
            if (task != null) { task.Value = task.MaxValue; task.StopTask(); }
            AnsiConsole.MarkupLine(Markup.Escape($"epoch {epoch}: {Format(metrics)}"));
        }

        public void Message(string text) => AnsiConsole.MarkupLine(Markup.Escape(text));
    }
}
