using System.Globalization;
using System.Text.Json;
using IlgpuVq.Engine.Devices;
using IlgpuVq.Engine.Serialization;
using IlgpuVq.Models.Training;

namespace IlgpuVq.Models.VqVae;

/// <summary>A VQ-VAE restored from a checkpoint, with what its header says about it.</summary>
public sealed record LoadedVqVae(VqVaeModel Model, int ImageSize, string ModelFile, IReadOnlyDictionary<string, string> Info) : IDisposable
{
    public void Dispose() => Model.Dispose();
}

/// <summary>Loads VQ-VAE checkpoints (a run folder, a checkpoint folder or a model.safetensors file).</summary>
public static class VqVaeCheckpoint
{
    public static LoadedVqVae Load(ComputeDevice device, string path)
    {
        var folder = CheckpointStore.ResolveFolder(path);
        var file = Path.Combine(folder, CheckpointStore.ModelFile);
        var (tensors, info) = SafeTensors.Read(file);
        if (info.GetValueOrDefault("format") != "ilgpuvq-vqvae-1")
            throw new CheckpointException($"'{file}' is not a VQ-VAE checkpoint (format '{info.GetValueOrDefault("format", "none")}')");
        var config = JsonSerializer.Deserialize<VqVaeConfig>(info["config"]) ?? throw new CheckpointException($"'{file}': no model config in the header");
        var model = new VqVaeModel(device, config, 0);
        try { model.LoadStateDict(tensors); }
        catch { model.Dispose(); throw; }
        return new LoadedVqVae(model, int.Parse(info["image_size"], CultureInfo.InvariantCulture), file, info);
    }
}
