using System.Security.Cryptography;
using IlgpuVq.Engine.Autograd;
using IlgpuVq.Engine.Memory;
using IlgpuVq.Engine.Serialization;
using IlgpuVq.Engine.Tensors;
using IlgpuVq.Models.Training;
using IlgpuVq.Models.VqVae;

namespace IlgpuVq.Models.Prior;

/// <summary>Code maps of a split: <c>Codes</c> [N,V,h,w] (row-major) and a label per image (−1 when unlabeled). Each image has
/// <see cref="Variants"/> maps: 1, or <see cref="CodeDataset.FlipVariants"/> when its flips were encoded too (variant 0 is the image
/// as it is).</summary>
public sealed record CodeMaps(int[] Codes, int[] Labels, int Height, int Width, int Variants = 1)
{
    public int Count => Labels.Length;
    public int Plane => Height * Width;

    /// <summary>Where variant <paramref name="variant"/> of image <paramref name="image"/>'s map starts in <see cref="Codes"/>.</summary>
    public int Offset(int image, int variant) => (image * Variants + variant) * Plane;
}

/// <summary>
/// The prior's training data: the VQ-VAE's code maps of the train and test splits, encoded once and cached
/// in the prior's run folder (<c>codes.safetensors</c>) under the SHA-256 of the VQ-VAE checkpoint, so a
/// changed VQ-VAE invalidates the cache. With augmentation the training images are also encoded flipped left-right,
/// top-bottom and both (the flips the VQ-VAE trains on; lesions have no canonical orientation), four maps per image
/// that <see cref="CodeBatches"/> draws from; test maps are always of the images as they are.
/// </summary>
public static class CodeDataset
{
    public const string FileName = "codes.safetensors";
    /// <summary>Maps per training image with augmentation: as it is, flipped left-right, top-bottom, and both.</summary>
    public const int FlipVariants = 4;

    /// <summary>config.json's <c>augment</c> of a prior trained on maps with <paramref name="variants"/> per image: "flips" or "none".</summary>
    public static string AugmentName(int variants) => variants > 1 ? "flips" : "none";

    public static string Hash(string modelFile)
    {
        using var stream = File.OpenRead(modelFile);
        return Convert.ToHexString(SHA256.HashData(stream)).ToLowerInvariant();
    }

    /// <summary>Loads the cached code maps when their hash and variant count match, otherwise encodes both splits and writes the cache;
    /// <paramref name="flips"/> also encodes every training image's flips (<see cref="FlipVariants"/> maps each).</summary>
    public static (CodeMaps Train, CodeMaps Test, bool FromCache) LoadOrEncode(string runFolder, string vqvaeHash, VqVaeModel vqvae,
        IImageBatchSource train, IImageBatchSource test, bool flips = false)
    {
        var path = Path.Combine(runFolder, FileName);
        int variants = flips ? FlipVariants : 1;
        if (File.Exists(path))
        {
            try
            {
                var (tensors, meta) = SafeTensors.Read(path);
                if (meta.GetValueOrDefault("vqvae_sha256") == vqvaeHash && FromTensors(tensors, "train") is { } cachedTrain && cachedTrain.Variants == variants)
                    return (cachedTrain, FromTensors(tensors, "test"), true);
            }
            catch (CheckpointException) { /* a broken cache is rebuilt */ }
        }
        var trainMaps = Encode(vqvae, train, variants);
        var testMaps = Encode(vqvae, test);
        SafeTensors.Write(path, [.. ToTensors(trainMaps, "train"), .. ToTensors(testMaps, "test")],
            new Dictionary<string, string> { ["vqvae_sha256"] = vqvaeHash });
        return (trainMaps, testMaps, false);
    }

    /// <summary>Encodes every image of a source (no grad) into code maps: <paramref name="variants"/> = 1 the images as they are,
    /// <see cref="FlipVariants"/> also their flips (variant v flips left-right when bit 0 is set and top-bottom when bit 1 is).</summary>
    public static CodeMaps Encode(VqVaeModel vqvae, IImageBatchSource images, int variants = 1)
    {
        if (variants is not (1 or FlipVariants)) throw new ArgumentException($"code map variants must be 1 or {FlipVariants} (got {variants})");
        var codes = new List<int>();
        var labels = new List<int>();
        int side = images.ImageSize / vqvae.Config.Downsample, plane = side * side;
        using (GradMode.NoGrad())
            foreach (var batch in images.Epoch(0, 0))
            {
                var perVariant = new int[variants][];
                for (int v = 0; v < variants; v++)
                {
                    using var scope = new TensorScope();
                    var pixels = v == 0 ? batch.Images : Flipped(batch.Images, batch.Count, batch.ImageSize, (v & 1) != 0, (v & 2) != 0);
                    var x = Tensor.FromArray(vqvae.Device, pixels, batch.Count, 3, batch.ImageSize, batch.ImageSize);
                    perVariant[v] = vqvae.Encode(x).ToIntArray();
                }
                for (int i = 0; i < batch.Count; i++)
                    for (int v = 0; v < variants; v++)
                        codes.AddRange(perVariant[v].AsSpan(i * plane, plane));
                labels.AddRange(batch.Labels);
            }
        return new CodeMaps(codes.ToArray(), labels.ToArray(), side, side, variants);
    }

    /// <summary>A copy of <paramref name="count"/> CHW images of <paramref name="size"/>² pixels, flipped left-right and/or top-bottom.</summary>
    public static float[] Flipped(float[] images, int count, int size, bool leftRight, bool topBottom)
    {
        var result = new float[images.Length];
        int planes = count * 3;
        for (int p = 0; p < planes; p++)
            for (int y = 0; y < size; y++)
            {
                int src = (p * size + y) * size, dst = (p * size + (topBottom ? size - 1 - y : y)) * size;
                for (int x = 0; x < size; x++) result[dst + (leftRight ? size - 1 - x : x)] = images[src + x];
            }
        return result;
    }

    static HostTensor[] ToTensors(CodeMaps maps, string split) =>
    [
        new($"{split}.codes", maps.Variants == 1 ? [maps.Count, maps.Height, maps.Width] : [maps.Count, maps.Variants, maps.Height, maps.Width], null, maps.Codes),
        new($"{split}.labels", [maps.Count], null, maps.Labels),
    ];

    static CodeMaps FromTensors(Dictionary<string, HostTensor> t, string split)
    {
        var codes = t[$"{split}.codes"];
        var shape = codes.Shape;
        return shape.Length == 4
            ? new CodeMaps(codes.Ints!, t[$"{split}.labels"].Ints!, shape[2], shape[3], shape[1])
            : new CodeMaps(codes.Ints!, t[$"{split}.labels"].Ints!, shape[1], shape[2]);
    }
}
