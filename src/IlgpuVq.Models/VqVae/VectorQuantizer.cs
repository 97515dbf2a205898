using IlgpuVq.Engine.Devices;
using IlgpuVq.Engine.NN;
using IlgpuVq.Engine.Ops;
using IlgpuVq.Engine.Tensors;

namespace IlgpuVq.Models.VqVae;

/// <summary>What the quantizer returns for a batch of latents.</summary>
/// <param name="Quantized">Straight-through quantized latents [B,D,h,w]: the value of the nearest codes, the gradient of z.</param>
/// <param name="Indices">Nearest code per position [B,h,w] (int32).</param>
/// <param name="Loss">Codebook loss + β·commitment loss (only β·commitment with EMA updates), shape [1].</param>
/// <param name="Latents">The encoder output z [B,D,h,w] (for codebook maintenance).</param>
public sealed record QuantizerOutput(Tensor Quantized, Tensor Indices, Tensor Loss, Tensor Latents);

/// <summary>
/// Vector quantizer: K codes of dimension D (<c>codebook</c> [K,D]). Nearest-code search, straight-through
/// estimator, loss = ‖sg(z)−e‖² + β‖z−sg(e)‖². With EMA updates the codebook is not a parameter: it is
/// updated after each training step from exponential moving averages of code counts (Laplace-smoothed) and of
/// the sums of the encoder outputs assigned to each code.
/// </summary>
public sealed class VectorQuantizer : Module
{
    readonly VqVaeConfig config;

    public VectorQuantizer(ComputeDevice device, SeedSequence seeds, VqVaeConfig config)
    {
        this.config = config;
        var bound = 1f / config.NumCodes;
        var init = Rng.UniformParameter(device, seeds.Next(), [config.NumCodes, config.EmbeddingDim], bound);
        Codes = config.Ema ? RegisterBuffer("codebook", init) : RegisterParameter("codebook", init);
        if (config.Ema)
        {
            EmaCounts = RegisterBuffer("ema_counts", Tensor.Persistent(device, DType.Float32, config.NumCodes));
            EmaSums = RegisterBuffer("ema_sums", Tensor.Persistent(device, DType.Float32, config.NumCodes, config.EmbeddingDim));
            EmaSums.CopyFrom(Codes);
            Elementwise.FillInPlace(EmaCounts, 1f); // each code starts as if it had one assignment: e = M/N = initial code
        }
        if (config.DeadCodeWindow > 0)
        {
            Ages = RegisterBuffer("code_ages", Tensor.Persistent(device, DType.Int32, config.NumCodes));
            Restarted = RegisterBuffer("codes_restarted", Tensor.Persistent(device, DType.Int32, 1));
        }
    }

    /// <summary>The codebook [K,D] (state-dict name <c>quantizer.codebook</c>).</summary>
    public Tensor Codes { get; }
    public Tensor? EmaCounts { get; }
    /// <summary>Steps since each code was last used (with dead-code restarts).</summary>
    public Tensor? Ages { get; }
    /// <summary>How many codes were restarted so far (int [1]).</summary>
    public Tensor? Restarted { get; }
    public Tensor? EmaSums { get; }
    public int NumCodes => config.NumCodes;

    public QuantizerOutput Forward(Tensor z)
    {
        var (indices, _) = Codebook.NearestNchw(z, Codes);
        var e = Embedding.LookupNchw(Codes, indices); // differentiable with respect to the codebook
        var commitment = Codebook.CommitmentLoss(z, e, config.Beta);
        var loss = config.Ema ? commitment : Elementwise.Add(Codebook.CodebookLoss(z, e), commitment);
        return new QuantizerOutput(Codebook.StraightThrough(z, e), indices, loss, z);
    }

    /// <summary>
    /// Codebook maintenance after an optimizer step, outside autograd: the EMA update of the codes from this
    /// batch's latents and assignments, and the restart of codes unused for <see cref="VqVaeConfig.DeadCodeWindow"/> steps.
    /// </summary>
    public void AfterStep(Tensor z, Tensor indices, ulong seed, long step)
    {
        if (config.Ema) CodebookMaintenance.EmaUpdate(Codes, EmaCounts!, EmaSums!, z, indices, config.EmaDecay, config.EmaEpsilon);
        if (config.DeadCodeWindow > 0)
        {
            CodebookMaintenance.TrackUsage(Ages!, indices);
            CodebookMaintenance.RestartDead(Codes, Ages!, z, config.DeadCodeWindow, seed, step, Restarted!, EmaCounts, EmaSums);
        }
    }

    /// <summary>Looks codes [B,h,w] up in the codebook → [B,D,h,w] (for decoding samples).</summary>
    public Tensor Lookup(Tensor indices) => Embedding.LookupNchw(Codes, indices);

    /// <summary>Nearest codes [B,h,w] of latents [B,D,h,w].</summary>
    public Tensor Encode(Tensor z) => Codebook.NearestNchw(z, Codes).Indices;
}
