using System.Globalization;
using System.Text.Json;
using IlgpuVq.Engine.Devices;
using IlgpuVq.Engine.Serialization;
using IlgpuVq.Models.Training;

namespace IlgpuVq.Models.Classifier;

/// <summary>A classifier restored from a checkpoint, with the image size and class names it was trained on.</summary>
public sealed record LoadedClassifier(ResidualClassifier Model, int ImageSize, IReadOnlyList<string> ClassNames, string ModelFile) : IDisposable
{
    public void Dispose() => Model.Dispose();
}

/// <summary>Loads classifier checkpoints (a run folder, a checkpoint folder or a model.safetensors file).</summary>
public static class ClassifierCheckpoint
{
    public const string Format = "ilgpuvq-" + ClassifierTrainingTask.Format + "-1";

    public static LoadedClassifier Load(ComputeDevice device, string path)
    {
        var file = Path.Combine(CheckpointStore.ResolveFolder(path), CheckpointStore.ModelFile);
        var (tensors, info) = SafeTensors.Read(file);
        if (info.GetValueOrDefault("format") != Format)
            throw new CheckpointException($"'{file}' is not a classifier checkpoint (format '{info.GetValueOrDefault("format", "none")}')");
        var config = JsonSerializer.Deserialize<ClassifierConfig>(info["config"]) ?? throw new CheckpointException($"'{file}': no model config in the header");
        var model = new ResidualClassifier(device, config, 0);
        try { model.LoadStateDict(tensors); }
        catch { model.Dispose(); throw; }
        var classes = info.GetValueOrDefault("class_names", "").Split(',', StringSplitOptions.RemoveEmptyEntries);
        return new LoadedClassifier(model, int.Parse(info["image_size"], CultureInfo.InvariantCulture), classes, file);
    }
}
