// The `ref` preset's two models in TorchSharp (libtorch), written to match IlgpuVq.Models (read from /work/main/src):
// VqVae/{Encoder,Decoder,ResidualBlock,VectorQuantizer}.cs and Prior/{GatedPixelCnn,GatedLayer,PixelCnnConfig}.cs.
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;
using F = TorchSharp.torch.nn.functional;

namespace TorchBench;

/// <summary>x + conv1x1(relu(conv3x3(relu(x)))), both convolutions without bias (ResidualBlock.cs).</summary>
sealed class ResidualBlock : Module<Tensor, Tensor>
{
    readonly Conv2d conv3, conv1;

    public ResidualBlock(int channels, int hidden) : base("res")
    {
        conv3 = Conv2d(channels, hidden, 3, padding: 1, bias: false);
        conv1 = Conv2d(hidden, channels, 1, bias: false);
        RegisterComponents();
    }

    public override Tensor forward(Tensor x) => x + conv1.call(F.relu(conv3.call(F.relu(x))));
}

/// <summary>[B,3,64,64] → z [B,64,16,16] (Encoder.cs, /4: two stride-2 4×4 convolutions 3→64→128).</summary>
sealed class Encoder : Module<Tensor, Tensor>
{
    readonly Conv2d down1, down2, conv, project;
    readonly ResidualBlock res1, res2;

    public Encoder(int hidden, int resHidden, int dim) : base("encoder")
    {
        down1 = Conv2d(3, hidden / 2, 4, stride: 2, padding: 1);
        down2 = Conv2d(hidden / 2, hidden, 4, stride: 2, padding: 1);
        conv = Conv2d(hidden, hidden, 3, padding: 1);
        res1 = new ResidualBlock(hidden, resHidden);
        res2 = new ResidualBlock(hidden, resHidden);
        project = Conv2d(hidden, dim, 1);
        RegisterComponents();
    }

    public override Tensor forward(Tensor x)
    {
        x = F.relu(down1.call(x));
        x = F.relu(down2.call(x));
        x = conv.call(x);
        x = res2.call(res1.call(x));
        return project.call(F.relu(x));
    }
}

/// <summary>z_q [B,64,16,16] → [B,3,64,64] (Decoder.cs, /4: transposed convolutions 128→64→3).</summary>
sealed class Decoder : Module<Tensor, Tensor>
{
    readonly Conv2d conv;
    readonly ResidualBlock res1, res2;
    readonly ConvTranspose2d up1, up2;

    public Decoder(int hidden, int resHidden, int dim) : base("decoder")
    {
        conv = Conv2d(dim, hidden, 3, padding: 1);
        res1 = new ResidualBlock(hidden, resHidden);
        res2 = new ResidualBlock(hidden, resHidden);
        up1 = ConvTranspose2d(hidden, hidden / 2, 4, stride: 2, padding: 1);
        up2 = ConvTranspose2d(hidden / 2, 3, 4, stride: 2, padding: 1);
        RegisterComponents();
    }

    public override Tensor forward(Tensor z)
    {
        var x = F.relu(res2.call(res1.call(conv.call(z))));
        return up2.call(F.relu(up1.call(x)));
    }
}

/// <summary>
/// The VQ-VAE with its vector quantiser (VqVaeModel.cs, VectorQuantizer.cs, CodebookMaintenance.cs). With EMA updates (the
/// default of VqVaeConfig, and so of the `ref` preset) the codebook [K,D] is a buffer, not a parameter: the loss is
/// MSE + β·commitment and the codebook follows exponential moving averages after each optimizer step; dead codes (unused
/// for 50 steps) restart from encoder outputs. Without EMA (<c>--no-ema</c>) the codebook is a parameter and the loss adds
/// the codebook term ‖sg(z) − e‖².
/// </summary>
sealed class VqVae : Module
{
    public readonly Encoder encoder;
    public readonly Decoder decoder;
    readonly Parameter? codebookParam;
    readonly Tensor codes;                  // = codebookParam, or the buffer
    readonly Tensor? emaCounts, emaSums;
    readonly Tensor ages;
    public readonly bool Ema;
    public readonly int NumCodes, Dim;
    const float Beta = 0.25f, Decay = 0.99f, Epsilon = 1e-5f;
    const int DeadCodeWindow = 50;

    public VqVae(bool ema, int hidden = 128, int resHidden = 32, int dim = 64, int numCodes = 512) : base("vqvae")
    {
        Ema = ema;
        NumCodes = numCodes;
        Dim = dim;
        encoder = new Encoder(hidden, resHidden, dim);
        decoder = new Decoder(hidden, resHidden, dim);
        var init = torch.empty(numCodes, dim).uniform_(-1.0 / numCodes, 1.0 / numCodes);
        if (ema)
        {
            codes = init;
            emaCounts = torch.ones(numCodes);
            emaSums = init.clone();
        }
        else
        {
            codebookParam = new Parameter(init);
            codes = codebookParam;
        }
        ages = torch.zeros(numCodes, ScalarType.Int32);
        RegisterComponents();
    }

    /// <summary>Stands in for the k-means initialisation of step 0 (untimed there as here): K random encoder outputs.</summary>
    public void InitCodebook(Tensor x)
    {
        using var scope = torch.NewDisposeScope();
        using var _ = torch.no_grad();
        var flat = encoder.call(x).permute(0, 2, 3, 1).reshape(-1, Dim);
        var pick = torch.randperm(flat.shape[0])[TensorIndex.Slice(0, NumCodes)];
        codes.copy_(flat.index_select(0, pick));
        if (Ema) { emaSums!.copy_(codes); emaCounts!.fill_(1); }
    }

    /// <summary>Forward and losses: (total, recon, quant, latents [N,D] detached, indices [N]).</summary>
    public (Tensor Loss, Tensor Recon, Tensor Quant, Tensor Latents, Tensor Indices) Forward(Tensor x)
    {
        var z = encoder.call(x);                                   // [B,D,h,w]
        long b = z.shape[0], h = z.shape[2], w = z.shape[3];
        var flat = z.permute(0, 2, 3, 1).reshape(-1, Dim);         // [N,D]
        Tensor indices;
        using (torch.no_grad())
        {
            // ‖z‖² − 2 z·e + ‖e‖², nearest by squared distance
            var dist = flat.pow(2).sum(1, keepdim: true) - 2 * flat.matmul(codes.t()) + codes.pow(2).sum(1).unsqueeze(0);
            indices = dist.argmin(1);
        }
        var e = codes.index_select(0, indices).view(b, h, w, Dim).permute(0, 3, 1, 2);  // gradient to the codebook without EMA
        var quant = Beta * F.mse_loss(z, e.detach());                                  // commitment
        if (!Ema) quant = quant + F.mse_loss(z.detach(), e);                           // codebook loss
        var zq = z + (e - z).detach();                                                 // straight-through
        var recon = F.mse_loss(decoder.call(zq), x);
        return (recon + quant, recon, quant, flat.detach(), indices);
    }

    /// <summary>After the optimizer step, outside autograd: EMA codebook update and dead-code tracking/restarts.</summary>
    public void AfterStep(Tensor latents, Tensor indices)
    {
        using var _ = torch.no_grad();
        var counts = torch.bincount(indices, minlength: NumCodes).to(ScalarType.Float32);
        if (Ema)
        {
            var sums = torch.zeros(NumCodes, Dim).index_add_(0, indices, latents, 1);
            emaCounts!.mul_(Decay).add_(counts, alpha: 1 - Decay);
            emaSums!.mul_(Decay).add_(sums, alpha: 1 - Decay);
            var n = emaCounts.sum();
            var smoothed = (emaCounts + Epsilon) / (n + NumCodes * Epsilon) * n;
            codes.copy_(emaSums / smoothed.unsqueeze(1));
        }
        ages.copy_(torch.where(counts > 0, torch.zeros_like(ages), ages + 1));
        var dead = ages >= DeadCodeWindow;
        if (dead.any().item<bool>())
        {
            var rows = latents.index_select(0, torch.randint(latents.shape[0], [NumCodes], dtype: ScalarType.Int64));
            var d2 = dead.unsqueeze(1);
            codes.copy_(torch.where(d2, rows, codes));
            if (Ema)
            {
                emaSums!.copy_(torch.where(d2, rows, emaSums));
                emaCounts!.copy_(torch.where(dead, torch.ones_like(emaCounts), emaCounts));
            }
            ages.copy_(torch.where(dead, torch.zeros_like(ages), ages));
        }
    }
}

/// <summary>
/// One layer of the two-stack Gated PixelCNN (GatedLayer.cs): vertical (k/2+1)×k convolution over rows i−k/2…i, its
/// pre-activation down-shifted one row into a 1×1 v→h link; horizontal 1×(k/2+1) convolution over columns j−k/2…j (mask A,
/// the current column zeroed, in the first layer); per-class gate biases [7,2C]; gates tanh(a)·σ(b); 1×1 residual in the
/// horizontal stack (added except in the first layer) and 1×1 skip.
/// </summary>
sealed class GatedLayer : Module
{
    readonly Conv2d v_conv, h_conv, v_to_h, h_residual, skip;
    readonly Parameter? class_bias_v, class_bias_h;
    readonly Tensor? h_mask;
    readonly bool first;
    readonly int half;

    public GatedLayer(int channels, int kernel, bool first, int numClasses) : base("gated")
    {
        this.first = first;
        half = kernel / 2;
        v_conv = Conv2d(channels, 2 * channels, (half + 1, kernel));
        h_conv = Conv2d(channels, 2 * channels, (1, half + 1));
        v_to_h = Conv2d(2 * channels, 2 * channels, 1);
        h_residual = Conv2d(channels, channels, 1);
        skip = Conv2d(channels, channels, 1);
        if (first)
        {
            h_mask = torch.ones(2 * channels, channels, 1, half + 1);
            h_mask[TensorIndex.Colon, TensorIndex.Colon, TensorIndex.Colon, half] = torch.tensor(0f);
        }
        if (numClasses > 0)
        {
            class_bias_v = new Parameter(torch.zeros(numClasses, 2 * channels));
            class_bias_h = new Parameter(torch.zeros(numClasses, 2 * channels));
        }
        RegisterComponents();
    }

    static Tensor Gate(Tensor x)
    {
        var ab = x.chunk(2, 1);
        return torch.tanh(ab[0]) * torch.sigmoid(ab[1]);
    }

    public (Tensor V, Tensor H, Tensor Skip) Forward(Tensor v, Tensor h, Tensor? labels)
    {
        long rows = v.shape[2];
        // pad (left, right, top, bottom): output row i sees input rows i−half … i
        var vPre = v_conv.call(F.pad(v, [half, half, half, 0]));
        var hIn = F.pad(h, [half, 0, 0, 0]);
        var hConv = h_mask is null ? h_conv.call(hIn) : F.conv2d(hIn, h_conv.weight! * h_mask, h_conv.bias);
        var vShifted = F.pad(vPre, [0, 0, 1, 0]).narrow(2, 0, rows);  // down one row: row i sees rows < i
        var hPre = hConv + v_to_h.call(vShifted);
        if (labels is not null)
        {
            vPre = vPre + class_bias_v!.index_select(0, labels).unsqueeze(-1).unsqueeze(-1);
            hPre = hPre + class_bias_h!.index_select(0, labels).unsqueeze(-1).unsqueeze(-1);
        }
        var vOut = Gate(vPre);
        var hGated = Gate(hPre);
        var hOut = first ? h_residual.call(hGated) : h + h_residual.call(hGated);
        return (vOut, hOut, skip.call(hGated));
    }
}

/// <summary>Gated PixelCNN over code maps [B,H,W] → logits [B,K,H,W] (GatedPixelCnn.cs, PixelCnnConfig.cs defaults).</summary>
sealed class GatedPixelCnn : Module
{
    readonly Parameter embedding;
    readonly ModuleList<GatedLayer> layers;
    readonly Conv2d head1, head2;
    readonly bool conditional;

    public GatedPixelCnn(int numCodes = 512, int channels = 64, int nLayers = 15, int firstKernel = 7, int kernel = 3,
        int headChannels = 256, int numClasses = 7) : base("prior")
    {
        conditional = numClasses > 0;
        embedding = new Parameter(torch.empty(numCodes, channels).uniform_(-1, 1));
        layers = new ModuleList<GatedLayer>();
        layers.Add(new GatedLayer(channels, firstKernel, first: true, numClasses));
        for (int i = 0; i < nLayers; i++) layers.Add(new GatedLayer(channels, kernel, first: false, numClasses));
        head1 = Conv2d(channels, headChannels, 1);
        head2 = Conv2d(headChannels, numCodes, 1);
        RegisterComponents();
    }

    public Tensor Forward(Tensor codes, Tensor labels)
    {
        long b = codes.shape[0], hh = codes.shape[1], ww = codes.shape[2];
        var x = embedding.index_select(0, codes.flatten()).view(b, hh, ww, -1).permute(0, 3, 1, 2).contiguous();
        Tensor v = x, h = x;
        Tensor? skipSum = null;
        foreach (var layer in layers)
        {
            var (nv, nh, s) = layer.Forward(v, h, conditional ? labels : null);
            v = nv;
            h = nh;
            skipSum = skipSum is null ? s : skipSum + s;
        }
        return head2.call(F.relu(head1.call(F.relu(skipSum!))));
    }
}
