using System.Globalization;
using System.Text.Json;
using IlgpuVq.Data;
using IlgpuVq.Engine.Autograd;
using IlgpuVq.Engine.Devices;
using IlgpuVq.Engine.Memory;
using IlgpuVq.Engine.Ops;
using IlgpuVq.Engine.Serialization;
using IlgpuVq.Engine.Tensors;
using IlgpuVq.Models.Training;
using IlgpuVq.Models.VqVae;

namespace IlgpuVq.Models.Prior;

/// <summary>Sampled images (NCHW in [−1, 1]) with their code maps, laid out as a grid.</summary>
public sealed record SampleGrid(float[] Images, int[] Codes, int Count, int ImageSize, int Columns, IReadOnlyList<string>? RowLabels)
{
    public void Save(string path) => ImageGrid.Save(path, Images, ImageSize, Columns, RowLabels, TrainingFigures.GridScale(ImageSize));
}

/// <summary>
/// The source report's PixelCNNVQVAE: a Gated PixelCNN prior that samples code maps position by position in
/// raster order, and the VQ-VAE whose codebook and decoder turn them into images. <see cref="Load"/> checks
/// that the two checkpoints belong together (K, D, grid size, and the VQ-VAE the prior was trained on).
/// </summary>
public sealed class PixelCnnVqVae : IDisposable
{
    readonly bool ownsModels;

    public PixelCnnVqVae(VqVaeModel vqvae, GatedPixelCnn prior, IReadOnlyList<string> classNames, int height, int width, bool ownsModels = true)
    {
        VqVae = vqvae;
        Prior = prior;
        ClassNames = classNames;
        Height = height;
        Width = width;
        this.ownsModels = ownsModels;
    }

    public VqVaeModel VqVae { get; }
    public GatedPixelCnn Prior { get; }
    public IReadOnlyList<string> ClassNames { get; }
    public int Height { get; }
    public int Width { get; }
    public int ImageSize => Height * VqVae.Config.Downsample;

    /// <summary>Loads both checkpoints (run folders, checkpoint folders or model files) and checks they belong together.</summary>
    public static PixelCnnVqVae Load(ComputeDevice device, string vqvaePath, string priorPath)
    {
        var priorFile = Path.Combine(CheckpointStore.ResolveFolder(priorPath), CheckpointStore.ModelFile);
        var (tensors, info) = SafeTensors.Read(priorFile);
        if (info.GetValueOrDefault("format") != "ilgpuvq-prior-1")
            throw new CheckpointException($"'{priorFile}' is not a prior checkpoint (format '{info.GetValueOrDefault("format", "none")}')");
        var vq = VqVaeCheckpoint.Load(device, vqvaePath);
        try
        {
            var config = JsonSerializer.Deserialize<PixelCnnConfig>(info["config"])!;
            int h = int.Parse(info["grid_height"], CultureInfo.InvariantCulture), w = int.Parse(info["grid_width"], CultureInfo.InvariantCulture);
            int d = int.Parse(info["vqvae_embedding_dim"], CultureInfo.InvariantCulture);
            var problems = new List<string>();
            if (config.NumCodes != vq.Model.Config.NumCodes) problems.Add($"the prior models K={config.NumCodes} codes but the VQ-VAE has K={vq.Model.Config.NumCodes}");
            if (d != vq.Model.Config.EmbeddingDim) problems.Add($"the prior was trained on codes of dimension D={d} but the VQ-VAE has D={vq.Model.Config.EmbeddingDim}");
            int side = vq.ImageSize / vq.Model.Config.Downsample;
            if (h != side || w != side) problems.Add($"the prior's code grid is {h}x{w} but the VQ-VAE makes {side}x{side} grids");
            if (problems.Count == 0 && info.GetValueOrDefault("vqvae_sha256") is { } hash && hash != CodeDataset.Hash(vq.ModelFile))
                problems.Add($"the prior was trained on the codes of another VQ-VAE checkpoint (sha256 {hash[..12]}…, this one is {CodeDataset.Hash(vq.ModelFile)[..12]}…)");
            if (problems.Count > 0)
                throw new CheckpointException($"prior '{priorFile}' and VQ-VAE '{vq.ModelFile}' do not belong together: {string.Join("; ", problems)}");
            var prior = new GatedPixelCnn(device, config, 0);
            prior.LoadStateDict(tensors);
            // A JSON array (class names from the data may hold commas); older checkpoints wrote "a,b,c".
            var names = info.GetValueOrDefault("class_names", "");
            var classes = names.StartsWith('[') ? JsonSerializer.Deserialize<string[]>(names)! : names.Split(',', StringSplitOptions.RemoveEmptyEntries);
            return new PixelCnnVqVae(vq.Model, prior, classes, h, w);
        }
        catch
        {
            vq.Dispose();
            throw;
        }
    }

    /// <summary>The index of a class name; an unknown name is an error listing the valid ones.</summary>
    public int ClassIndex(string name)
    {
        if (!Prior.Config.ClassConditional)
            throw new ArgumentException("this prior is unconditional (trained without class labels); leave out --class");
        for (int i = 0; i < ClassNames.Count; i++)
            if (string.Equals(ClassNames[i], name, StringComparison.OrdinalIgnoreCase)) return i;
        throw new ArgumentException($"unknown class '{name}'; classes: {string.Join(", ", ClassNames)}");
    }

    /// <summary>
    /// Samples <paramref name="count"/> code maps in one batch, position by position in raster order, on the device
    /// (<see cref="PriorSampling"/>: the only host transfer is the final codes and images), and decodes them. Same seed → same
    /// images, with either <paramref name="sampler"/>. <paramref name="rowDone"/> sees the rows completed (progress);
    /// <paramref name="firstSample"/>: the index of the first sample in a longer run drawn batch by batch; <paramref name="guidance"/>:
    /// the classifier-free guidance scale (1: plain conditional sampling; see <see cref="PriorSampling"/>).
    /// </summary>
    public (float[] Images, int[] Codes) Sample(int count, int[] classes, float temperature, ulong seed,
        PriorSampler sampler = PriorSampler.Cached, Func<int, bool>? rowDone = null, int firstSample = 0, float guidance = 1f)
    {
        using var noGrad = GradMode.NoGrad();
        using var scope = new TensorScope();
        var codes = PriorSampling.SampleCodes(Prior, count, classes, Height, Width, temperature, seed, sampler, rowDone, firstSample, guidance);
        var images = VqVae.Decode(codes);
        return (images.ToArray(), codes.ToIntArray());
    }

    /// <summary>A grid with a row per class (<paramref name="perClass"/> samples each), or one row when unconditional.</summary>
    public SampleGrid SampleGrid(int perClass, float temperature, ulong seed, PriorSampler sampler = PriorSampler.Cached)
    {
        bool conditional = Prior.Config.ClassConditional && ClassNames.Count > 0;
        int rows = conditional ? ClassNames.Count : 1;
        var classes = Enumerable.Range(0, rows * perClass).Select(i => conditional ? i / perClass : 0).ToArray();
        var (images, codes) = Sample(classes.Length, classes, temperature, seed, sampler);
        return new SampleGrid(images, codes, classes.Length, ImageSize, perClass, conditional ? ClassNames : null);
    }

    public void Dispose()
    {
        if (!ownsModels) return;
        Prior.Dispose();
        VqVae.Dispose();
    }
}
