using IlgpuVq.Engine.Autograd;
using IlgpuVq.Engine.Devices;
using IlgpuVq.Engine.NN;
using IlgpuVq.Engine.Ops;
using IlgpuVq.Engine.Tensors;

namespace IlgpuVq.Models.VqVae;

/// <summary>What the quantizer returns for a batch of latents.</summary>
/// <param name="Quantized">Straight-through quantized latents [B,D,h,w]: the value of the nearest codes, the gradient of z.</param>
/// <param name="Indices">Nearest code per position [B,h,w] (int32).</param>
/// <param name="Loss">Codebook loss + β·commitment loss (only β·commitment with EMA updates), shape [1].</param>
/// <param name="Latents">The latents the codes live among [B,CodeDim,h,w]: the encoder output z, or its projection with factorised codes (for codebook maintenance).</param>
public sealed record QuantizerOutput(Tensor Quantized, Tensor Indices, Tensor Loss, Tensor Latents);

/// <summary>
/// Vector quantizer: K codes (<c>codebook</c> [K,CodeDim]). Nearest-code search, straight-through estimator,
/// loss = ‖sg(z)−e‖² + β‖z−sg(e)‖². With EMA updates the codebook is not a parameter: it is updated after each
/// training step from exponential moving averages of code counts (Laplace-smoothed) and of the sums of the latents
/// assigned to each code. With factorised codes (<see cref="VqVaeConfig.LookupDim"/>) a 1×1 convolution
/// <c>in_proj</c> maps z to the lookup space, where search, losses and maintenance happen, and <c>out_proj</c> maps
/// the quantized latents back to D for the decoder.
/// </summary>
public sealed class VectorQuantizer : Module
{
    readonly VqVaeConfig config;
    readonly Conv2dLayer? inProj, outProj;

    public VectorQuantizer(ComputeDevice device, SeedSequence seeds, VqVaeConfig config)
    {
        this.config = config;
        var bound = 1f / config.NumCodes;
        var init = Rng.UniformParameter(device, seeds.Next(), [config.NumCodes, config.CodeDim], bound);
        Codes = config.Ema ? RegisterBuffer("codebook", init) : RegisterParameter("codebook", init);
        if (config.Ema)
        {
            EmaCounts = RegisterBuffer("ema_counts", Tensor.Persistent(device, DType.Float32, config.NumCodes));
            EmaSums = RegisterBuffer("ema_sums", Tensor.Persistent(device, DType.Float32, config.NumCodes, config.CodeDim));
            ResetEma();
        }
        if (config.DeadCodeWindow > 0)
        {
            Ages = RegisterBuffer("code_ages", Tensor.Persistent(device, DType.Int32, config.NumCodes));
            Restarted = RegisterBuffer("codes_restarted", Tensor.Persistent(device, DType.Int32, 1));
        }
        if (config.LookupDim > 0)
        {
            inProj = RegisterModule("in_proj", new Conv2dLayer(device, seeds, config.EmbeddingDim, config.LookupDim, 1));
            outProj = RegisterModule("out_proj", new Conv2dLayer(device, seeds, config.LookupDim, config.EmbeddingDim, 1));
        }
    }

    /// <summary>The codebook [K,CodeDim] (state-dict name <c>quantizer.codebook</c>).</summary>
    public Tensor Codes { get; }
    public Tensor? EmaCounts { get; }
    /// <summary>Steps since each code was last used (with dead-code restarts).</summary>
    public Tensor? Ages { get; }
    /// <summary>How many codes were restarted so far (int [1]).</summary>
    public Tensor? Restarted { get; }
    public Tensor? EmaSums { get; }
    public int NumCodes => config.NumCodes;

    /// <summary>Each code starts as if it had one assignment: e = M/N = the code.</summary>
    void ResetEma()
    {
        EmaSums!.CopyFrom(Codes);
        Elementwise.FillInPlace(EmaCounts!, 1f);
    }

    Tensor ToLookup(Tensor z) => inProj == null ? z : inProj.Forward(z);
    Tensor FromLookup(Tensor e) => outProj == null ? e : outProj.Forward(e);

    public QuantizerOutput Forward(Tensor z)
    {
        var latents = ToLookup(z);
        var indices = Codebook.NearestIndices(latents, Codes);
        var e = Embedding.LookupNchw(Codes, indices); // differentiable with respect to the codebook
        var commitment = Codebook.CommitmentLoss(latents, e, config.Beta);
        var loss = config.Ema ? commitment : Elementwise.Add(Codebook.CodebookLoss(latents, e), commitment);
        return new QuantizerOutput(FromLookup(Codebook.StraightThrough(latents, e)), indices, loss, latents);
    }

    /// <summary>
    /// Data-dependent initialisation (before the first step, outside autograd): the codebook becomes the k-means
    /// (k-means++ seeding, <see cref="VqVaeConfig.KMeansIterations"/> Lloyd iterations) codes of the latents of encoder
    /// output <paramref name="z"/>; the EMA state restarts from these codes.
    /// </summary>
    public void Initialize(Tensor z, ulong seed)
    {
        using (GradMode.NoGrad()) CodebookInit.KMeans(Codes, ToLookup(z), config.KMeansIterations, seed);
        if (config.Ema) ResetEma();
    }

    /// <summary>
    /// Codebook maintenance after an optimizer step, outside autograd: the EMA update of the codes from this
    /// batch's latents and assignments, and the restart of codes unused for <see cref="VqVaeConfig.DeadCodeWindow"/> steps.
    /// </summary>
    public void AfterStep(Tensor latents, Tensor indices, ulong seed, long step)
    {
        if (config.Ema) CodebookMaintenance.EmaUpdate(Codes, EmaCounts!, EmaSums!, latents, indices, config.EmaDecay, config.EmaEpsilon);
        if (config.DeadCodeWindow > 0)
        {
            CodebookMaintenance.TrackUsage(Ages!, indices);
            CodebookMaintenance.RestartDead(Codes, Ages!, latents, config.DeadCodeWindow, seed, step, Restarted!, EmaCounts, EmaSums);
        }
    }

    /// <summary>Looks codes [B,h,w] up in the codebook → [B,D,h,w] (for decoding samples).</summary>
    public Tensor Lookup(Tensor indices) => FromLookup(Embedding.LookupNchw(Codes, indices));

    /// <summary>Nearest codes [B,h,w] of encoder outputs [B,D,h,w].</summary>
    public Tensor Encode(Tensor z) => Codebook.NearestIndices(ToLookup(z), Codes);
}
