using System.Security.Cryptography;
using IlgpuVq.Engine.Autograd;
using IlgpuVq.Engine.Memory;
using IlgpuVq.Engine.Serialization;
using IlgpuVq.Engine.Tensors;
using IlgpuVq.Models.Training;
using IlgpuVq.Models.VqVae;

namespace IlgpuVq.Models.Prior;

/// <summary>Code maps of a split: <c>Codes</c> [N,h,w] (row-major) and a label per map (−1 when unlabeled).</summary>
public sealed record CodeMaps(int[] Codes, int[] Labels, int Height, int Width)
{
    public int Count => Labels.Length;
    public int Plane => Height * Width;
}

/// <summary>
/// The prior's training data: the VQ-VAE's code maps of the train and test splits, encoded once and cached
/// in the prior's run folder (<c>codes.safetensors</c>) under the SHA-256 of the VQ-VAE checkpoint, so a
/// changed VQ-VAE invalidates the cache.
/// </summary>
public static class CodeDataset
{
    public const string FileName = "codes.safetensors";

    public static string Hash(string modelFile)
    {
        using var stream = File.OpenRead(modelFile);
        return Convert.ToHexString(SHA256.HashData(stream)).ToLowerInvariant();
    }

    /// <summary>Loads the cached code maps when their hash matches, otherwise encodes both splits and writes the cache.</summary>
    public static (CodeMaps Train, CodeMaps Test, bool FromCache) LoadOrEncode(string runFolder, string vqvaeHash, VqVaeModel vqvae,
        IImageBatchSource train, IImageBatchSource test)
    {
        var path = Path.Combine(runFolder, FileName);
        if (File.Exists(path))
        {
            try
            {
                var (tensors, meta) = SafeTensors.Read(path);
                if (meta.GetValueOrDefault("vqvae_sha256") == vqvaeHash)
                    return (FromTensors(tensors, "train"), FromTensors(tensors, "test"), true);
            }
            catch (CheckpointException) { /* a broken cache is rebuilt */ }
        }
        var trainMaps = Encode(vqvae, train);
        var testMaps = Encode(vqvae, test);
        SafeTensors.Write(path, [.. ToTensors(trainMaps, "train"), .. ToTensors(testMaps, "test")],
            new Dictionary<string, string> { ["vqvae_sha256"] = vqvaeHash });
        return (trainMaps, testMaps, false);
    }

    /// <summary>Encodes every image of a source (no grad, no augmentation) into code maps.</summary>
    public static CodeMaps Encode(VqVaeModel vqvae, IImageBatchSource images)
    {
        var codes = new List<int>();
        var labels = new List<int>();
        int side = images.ImageSize / vqvae.Config.Downsample;
        using (GradMode.NoGrad())
            foreach (var batch in images.Epoch(0, 0))
            {
                using var scope = new TensorScope();
                var x = Tensor.FromArray(vqvae.Device, batch.Images, batch.Count, 3, batch.ImageSize, batch.ImageSize);
                codes.AddRange(vqvae.Encode(x).ToIntArray());
                labels.AddRange(batch.Labels);
            }
        return new CodeMaps(codes.ToArray(), labels.ToArray(), side, side);
    }

    static HostTensor[] ToTensors(CodeMaps maps, string split) =>
    [
        new($"{split}.codes", [maps.Count, maps.Height, maps.Width], null, maps.Codes),
        new($"{split}.labels", [maps.Count], null, maps.Labels),
    ];

    static CodeMaps FromTensors(Dictionary<string, HostTensor> t, string split)
    {
        var codes = t[$"{split}.codes"];
        return new CodeMaps(codes.Ints!, t[$"{split}.labels"].Ints!, codes.Shape[1], codes.Shape[2]);
    }
}
