using System.Diagnostics;
using IlgpuVq.Engine.Devices;
using Spectre.Console;

namespace IlgpuVq.Cli.Commands;

/// <summary>One stage of the demo with its estimated wall time.</summary>
public sealed record DemoStage(string Name, string Work, double EstimatedSeconds);

/// <summary>
/// The demo's plan with an estimated time per stage, printed before anything starts, and an ETA line at the start of each
/// stage. The two training stages are estimated from steps of the plan's preset's VQ-VAE and prior timed on this device
/// (<see cref="VqVaeStepHarness"/>, <see cref="PriorStepHarness"/>, the training tasks' own steps: three warm-up steps, then the median of five) times
/// their step counts, plus the validation passes (about a third of a training step per validation batch); the
/// classifier and the evaluation, which took under a tenth of the demo on the development machine, are estimated as
/// fixed shares of the VQ-VAE stage: 12 % and 3 %, as measured on Zen 3 (14 s and 3 s against the VQ-VAE's 116 s with two threads,
/// 23 s and 5 s against 168 s with one).
/// </summary>
public sealed class DemoSchedule
{
    readonly Stopwatch clock = Stopwatch.StartNew();
    double plannedSoFar;

    DemoSchedule(IReadOnlyList<DemoStage> stages) => Stages = stages;

    public IReadOnlyList<DemoStage> Stages { get; }
    public double EstimatedTotalSeconds => Stages.Sum(s => s.EstimatedSeconds);

    /// <summary>Times the plan's two models on <paramref name="device"/> and builds the stage list.</summary>
    public static DemoSchedule Estimate(ComputeDevice device, DemoPlan plan, int trainImages, int testImages)
    {
        var (preset, vq, prior) = (plan.Preset, plan.Preset.VqVaeSchedule, plan.Preset.PriorSchedule);
        int Batches(int images, int batchSize) => (images + batchSize - 1) / batchSize;
        double vqStep, priorStep;
        using (var harness = VqVaeStepHarness.Create(device, preset, vq.BatchSize, plan.ImageSize)) vqStep = MedianStepSeconds(harness);
        using (var harness = PriorStepHarness.Create(device, preset, prior.BatchSize, plan.ImageSize)) priorStep = MedianStepSeconds(harness);
        device.EmptyCache(); // the timing models' buffers are not the training runs' sizes
        double vqSeconds = vq.Epochs * (Batches(trainImages, vq.BatchSize) + Batches(testImages, vq.BatchSize) / 3.0) * vqStep;
        double priorSeconds = prior.Epochs * (Batches(trainImages, prior.BatchSize) + Batches(testImages, prior.BatchSize) / 3.0) * priorStep;
        return new DemoSchedule(
        [
            new("VQ-VAE", $"{vq.Epochs} epochs × {Batches(trainImages, vq.BatchSize)} steps ({vqStep * 1000:0} ms/step measured)", vqSeconds),
            new("prior", $"{prior.Epochs} epochs × {Batches(trainImages, prior.BatchSize)} steps ({priorStep * 1000:0} ms/step measured)", priorSeconds),
            new("classifier", $"{preset.ClassifierSchedule.Epochs} epochs", 0.12 * vqSeconds),
            new("evaluation", $"{plan.EvaluationSamplesPerClass} samples per class, cached sampler{(Models.Prior.PriorSampling.Guided(plan.Guidance) ? $", guidance {plan.Guidance}" : "")}", 0.03 * vqSeconds),
        ]);
    }

    static double MedianStepSeconds(StepHarness harness)
    {
        // The first steps pay for the pool's first allocations and run JIT tier-0 code: on the demo's VQ-VAE, steps 1–5 took about
        // 3× the steady state (176 ms against 64 ms in training), so 3 warm-ups made the printed estimate 2.2× too long.
        for (int i = 0; i < 12; i++) harness.Step();
        var times = new double[7];
        for (int i = 0; i < times.Length; i++)
        {
            var clock = Stopwatch.StartNew();
            harness.Step();
            times[i] = clock.Elapsed.TotalSeconds;
        }
        Array.Sort(times);
        return times[3];
    }

    /// <summary>The plan table with the estimated total.</summary>
    public void Print()
    {
        var table = new Table().AddColumns("stage", "work", "estimated");
        foreach (var s in Stages) table.AddRow(s.Name, Markup.Escape(s.Work), Minutes(s.EstimatedSeconds));
        table.AddRow("[bold]total[/]", "", $"[bold]{Minutes(EstimatedTotalSeconds)}[/]");
        AnsiConsole.Write(table);
    }

    /// <summary>
    /// Announces the next stage with its estimate and the ETA of the whole demo; from the second stage on, the remaining
    /// estimates are scaled by how long the stages before took against their estimates (a loaded machine shows it there).
    /// </summary>
    public void Begin(int index)
    {
        var stage = Stages[index];
        double elapsed = clock.Elapsed.TotalSeconds, pace = plannedSoFar > 0 ? elapsed / plannedSoFar : 1;
        double remaining = (EstimatedTotalSeconds - plannedSoFar) * pace;
        plannedSoFar += stage.EstimatedSeconds;
        var eta = DateTime.Now.AddSeconds(remaining);
        AnsiConsole.MarkupLine($"[bold]stage {index + 1}/{Stages.Count}: {stage.Name}[/] — estimated {Minutes(stage.EstimatedSeconds * pace)} " +
                               $"(elapsed {Minutes(elapsed)}; demo ETA {eta:HH:mm:ss})");
    }

    static string Minutes(double seconds) => seconds < 90 ? $"{seconds:0} s" : $"{seconds / 60:0.0} min";
}
