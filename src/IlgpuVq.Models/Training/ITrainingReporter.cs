namespace IlgpuVq.Models.Training;

/// <summary>How a trainer reports progress; the CLI renders it as a Spectre progress bar or plain lines.</summary>
public interface ITrainingReporter
{
    void EpochStarted(int epoch, int epochs, int batches);
    /// <summary>
    /// After a batch; <paramref name="loss"/> (and the task's <paramref name="detail"/>, e.g. the batch's codebook
    /// perplexity) are set when the trainer read them back (every few steps).
    /// </summary>
    void BatchDone(int batch, float? loss, string? detail, double imagesPerSecond);
    void EpochDone(int epoch, IReadOnlyDictionary<string, double> metrics);
    void Message(string text);
}

/// <summary>Reports nothing (tests).</summary>
public sealed class SilentReporter : ITrainingReporter
{
    public void EpochStarted(int epoch, int epochs, int batches) { }
    public void BatchDone(int batch, float? loss, string? detail, double imagesPerSecond) { }
    public void EpochDone(int epoch, IReadOnlyDictionary<string, double> metrics) { }
    public void Message(string text) { }
}

/// <summary>Training stopped because the loss became NaN or infinite; the last good checkpoint is kept.</summary>
public sealed class NonFiniteLossException(string message) : Exception(message);
