using IlgpuVq.Engine.Devices;
using IlgpuVq.Engine.NN;
using IlgpuVq.Engine.Ops;
using IlgpuVq.Engine.Tensors;

namespace IlgpuVq.Models.VqVae;

/// <summary>The losses and outputs of one VQ-VAE forward pass.</summary>
public sealed record VqVaeOutput(Tensor Reconstruction, Tensor ReconstructionLoss, Tensor QuantizationLoss, Tensor Loss, Tensor Indices, Tensor Latents);

/// <summary>
/// VQ-VAE (van den Oord et al. 2017): <see cref="Encoder"/> → <see cref="VectorQuantizer"/> →
/// <see cref="Decoder"/>, trained on MSE reconstruction + codebook + β·commitment losses. State-dict names:
/// <c>encoder.*</c>, <c>quantizer.codebook</c>, <c>decoder.*</c>.
/// </summary>
public sealed class VqVaeModel : Module
{
    public VqVaeModel(ComputeDevice device, VqVaeConfig config, ulong seed)
    {
        Config = config;
        var seeds = new SeedSequence(seed);
        Encoder = RegisterModule("encoder", new Encoder(device, seeds, config));
        Quantizer = RegisterModule("quantizer", new VectorQuantizer(device, seeds, config));
        Decoder = RegisterModule("decoder", new Decoder(device, seeds, config));
        Device = device;
    }

    public VqVaeConfig Config { get; }
    public ComputeDevice Device { get; }
    public Encoder Encoder { get; }
    public VectorQuantizer Quantizer { get; }
    public Decoder Decoder { get; }

    /// <summary>Images [B,3,S,S] in [−1, 1] → reconstruction and losses.</summary>
    public VqVaeOutput Forward(Tensor images)
    {
        var z = Encoder.Forward(images);
        var q = Quantizer.Forward(z);
        var recon = Decoder.Forward(q.Quantized);
        var reconLoss = Loss.Mse(recon, images);
        return new VqVaeOutput(recon, reconLoss, q.Loss, Elementwise.Add(reconLoss, q.Loss), q.Indices, q.Latents);
    }

    /// <summary>Images → code maps [B,S/f,S/f] (int32).</summary>
    public Tensor Encode(Tensor images) => Quantizer.Encode(Encoder.Forward(images));

    /// <summary>Code maps → images [B,3,S,S].</summary>
    public Tensor Decode(Tensor codes) => Decoder.Forward(Quantizer.Lookup(codes));
}
