using System.Globalization;
using IlgpuVq.Engine.Serialization;

namespace IlgpuVq.Models.Training;

/// <summary>One saved checkpoint: model weights and the training state needed to continue exactly.</summary>
/// <param name="Model">Model parameters and buffers by state-dict name.</param>
/// <param name="TrainState">Optimizer moments and any other tensors of the training state.</param>
/// <param name="Info">Scalars: epoch, step, batch position, seeds, best validation loss, learning rate.</param>
public sealed record Checkpoint(IReadOnlyDictionary<string, HostTensor> Model, IReadOnlyDictionary<string, HostTensor> TrainState, IReadOnlyDictionary<string, string> Info)
{
    public int Epoch => int.Parse(Info["epoch"], CultureInfo.InvariantCulture);
    public long Step => long.Parse(Info["step"], CultureInfo.InvariantCulture);
}

/// <summary>
/// Checkpoints of a run under <c>checkpoints/</c>: <c>epoch_NNNN/</c> folders (<c>model.safetensors</c> +
/// <c>train_state.safetensors</c>), the last <see cref="KeepLast"/> kept, plus <c>best/</c> (lowest validation
/// loss). Each folder is written under a temporary name and renamed into place, so a crash mid-write leaves
/// the previous checkpoints intact.
/// </summary>
public sealed class CheckpointStore(string directory, int keepLast = 3)
{
    public const string ModelFile = "model.safetensors";
    public const string StateFile = "train_state.safetensors";

    public string Directory { get; } = directory;
    public int KeepLast { get; } = Math.Max(1, keepLast);

    public void Save(int epoch, IEnumerable<HostTensor> model, IEnumerable<HostTensor> trainState, IReadOnlyDictionary<string, string> info, bool isBest)
    {
        System.IO.Directory.CreateDirectory(Directory);
        var name = $"epoch_{epoch:D4}";
        WriteFolder(name, model, trainState, info);
        if (isBest) WriteFolder("best", model, trainState, info);
        foreach (var old in EpochFolders().SkipLast(KeepLast)) System.IO.Directory.Delete(old, recursive: true);
    }

    void WriteFolder(string name, IEnumerable<HostTensor> model, IEnumerable<HostTensor> trainState, IReadOnlyDictionary<string, string> info)
    {
        var final = Path.Combine(Directory, name);
        var temp = Path.Combine(Directory, $".{name}.tmp-{Guid.NewGuid():N}");
        System.IO.Directory.CreateDirectory(temp);
        SafeTensors.Write(Path.Combine(temp, ModelFile), model, info);
        SafeTensors.Write(Path.Combine(temp, StateFile), trainState, info);
        var old = final + ".old";
        if (System.IO.Directory.Exists(final)) System.IO.Directory.Move(final, old);
        System.IO.Directory.Move(temp, final);
        if (System.IO.Directory.Exists(old)) System.IO.Directory.Delete(old, recursive: true);
    }

    /// <summary>Epoch folders, oldest first.</summary>
    public IReadOnlyList<string> EpochFolders() => System.IO.Directory.Exists(Directory)
        ? System.IO.Directory.GetDirectories(Directory, "epoch_*").Where(d => !Path.GetFileName(d).Contains(".tmp")).Order(StringComparer.Ordinal).ToList()
        : [];

    /// <summary>The newest epoch checkpoint, or null when there is none.</summary>
    public Checkpoint? LoadLatest()
    {
        var latest = EpochFolders().LastOrDefault();
        return latest == null ? null : Load(latest);
    }

    /// <summary>Loads a checkpoint folder (or a run folder's best/latest when given a run folder).</summary>
    public static Checkpoint Load(string folder)
    {
        var modelPath = Path.Combine(folder, ModelFile);
        if (!File.Exists(modelPath)) throw new CheckpointException($"no {ModelFile} in '{folder}'");
        var (model, info) = SafeTensors.Read(modelPath);
        var statePath = Path.Combine(folder, StateFile);
        var state = File.Exists(statePath) ? SafeTensors.Read(statePath).Tensors : new Dictionary<string, HostTensor>();
        return new Checkpoint(model, state, info);
    }

    /// <summary>
    /// Resolves what a user passed as <c>--checkpoint</c>/<c>--vqvae</c>: a run folder (its best checkpoint,
    /// else its latest), a checkpoint folder, or a model.safetensors file.
    /// </summary>
    public static string ResolveFolder(string path)
    {
        if (File.Exists(path)) return Path.GetDirectoryName(Path.GetFullPath(path))!;
        if (!System.IO.Directory.Exists(path)) throw new CheckpointException($"checkpoint path '{path}' does not exist");
        if (File.Exists(Path.Combine(path, ModelFile))) return path;
        var store = new CheckpointStore(Path.Combine(path, "checkpoints"));
        var best = Path.Combine(store.Directory, "best");
        if (File.Exists(Path.Combine(best, ModelFile))) return best;
        return store.EpochFolders().LastOrDefault() ?? throw new CheckpointException($"no checkpoint found in '{path}' (expected checkpoints/best or checkpoints/epoch_NNNN with {ModelFile})");
    }
}
