using ILGPU;
using ILGPU.Runtime;
using IlgpuVq.Engine.Autograd;
using IlgpuVq.Engine.Devices;
using IlgpuVq.Engine.Tensors;
using IlgpuVq.Kernels;
using NearestK = System.Action<ILGPU.KernelConfig, ILGPU.ArrayView<float>, ILGPU.ArrayView<float>, ILGPU.ArrayView<int>, int, int, int, int, int>;
using PartialK = System.Action<ILGPU.Index1D, int, int, ILGPU.ArrayView<float>, ILGPU.ArrayView<float>, ILGPU.ArrayView<float>, int, int>;
using DiffK = System.Action<ILGPU.Index1D, int, int, ILGPU.ArrayView<float>, ILGPU.ArrayView<float>, ILGPU.ArrayView<float>, ILGPU.ArrayView<float>, float>;

namespace IlgpuVq.Engine.Ops;

/// <summary>
/// Vector-quantization ops for the VQ-VAE (kernels: <see cref="CodebookKernels"/>; reference:
/// <c>IlgpuVq.Checks.Reference.CodebookReference</c>): nearest-code search (<see cref="Nearest"/>,
/// <see cref="NearestNchw"/>), the straight-through estimator, the codebook and commitment losses, and
/// codebook usage statistics. A typical quantizer step:
/// <code>
/// var (idx, _) = Codebook.NearestNchw(z, E);          // no gradient
/// var e = Embedding.LookupNchw(E, idx);                // gradient to E
/// var loss = Elementwise.Add(Codebook.CodebookLoss(z, e), Codebook.CommitmentLoss(z, e, 0.25f));
/// var zq = Codebook.StraightThrough(z, e);             // decoder input; gradient to z
/// </code>
/// </summary>
public static class Codebook
{
    /// <summary>Floats of codebook per shared-memory tile (8 KiB): a shared-memory budget, not a group size.</summary>
    const int TileFloats = 2048;
    /// <summary>Chunks of the deterministic two-pass mean (a fixed reduction shape, independent of the device).</summary>
    const int MeanChunks = 64;

    internal static readonly KernelSlot<NearestK> NearestKernel = new(CodebookKernels.NearestCode,
        KernelCost.Product(3, "rows", "codes", "dim")); // a subtract, a multiply and an add per row, code and dimension
    internal static readonly KernelSlot<PartialK> PartialKernel = new(CodebookKernels.SquaredDiffPartials);
    internal static readonly KernelSlot<DiffK> DiffKernel = new(CodebookKernels.ScaledDiff);

    /// <summary>For z [N,D] and codebook [K,D]: the nearest code of every row (int32 [N], ties → lowest index)
    /// and the quantized rows [N,D]. Neither output carries a gradient.</summary>
    public static (Tensor Indices, Tensor Quantized) Nearest(Tensor z, Tensor codebook)
    {
        Shape.RequireRank("codebook_nearest", z, 2);
        CheckCodebook("codebook_nearest", z, codebook, z.Shape[1]);
        var indices = Tensor.EmptyInt(z.Device, z.Shape[0]);
        Search(z, codebook, indices, rows: z.Shape[0], hw: 1);
        using (GradMode.NoGrad()) return (indices, Embedding.Lookup(codebook, indices));
    }

    /// <summary>For z [B,D,H,W] and codebook [K,D]: indices [B,H,W] and quantized [B,D,H,W] (no gradients).</summary>
    public static (Tensor Indices, Tensor Quantized) NearestNchw(Tensor z, Tensor codebook)
    {
        Shape.RequireRank("codebook_nearest_nchw", z, 4);
        CheckCodebook("codebook_nearest_nchw", z, codebook, z.Shape[1]);
        int b = z.Shape[0], h = z.Shape[2], w = z.Shape[3];
        var indices = Tensor.EmptyInt(z.Device, b, h, w);
        Search(z, codebook, indices, rows: b * h * w, hw: h * w);
        using (GradMode.NoGrad()) return (indices, Embedding.LookupNchw(codebook, indices));
    }

    /// <summary>The nearest code of every row of z [N,D] (→ [N]) or of every position of z [B,D,H,W] (→ [B,H,W]); ties → lowest index.</summary>
    public static Tensor NearestIndices(Tensor z, Tensor codebook)
    {
        const string op = "codebook_nearest_indices";
        if (z.Rank == 2)
        {
            CheckCodebook(op, z, codebook, z.Shape[1]);
            var flat = Tensor.EmptyInt(z.Device, z.Shape[0]);
            Search(z, codebook, flat, rows: z.Shape[0], hw: 1);
            return flat;
        }
        Shape.RequireRank(op, z, 4);
        CheckCodebook(op, z, codebook, z.Shape[1]);
        int b = z.Shape[0], h = z.Shape[2], w = z.Shape[3];
        var indices = Tensor.EmptyInt(z.Device, b, h, w);
        Search(z, codebook, indices, rows: b * h * w, hw: h * w);
        return indices;
    }

    static void CheckCodebook(string op, Tensor z, Tensor codebook, int dim)
    {
        Shape.RequireRank(op, codebook, 2);
        Shape.RequireSameDevice(op, z, codebook);
        if (codebook.Shape[1] != dim || codebook.Shape[0] < 1)
            throw new ArgumentException($"{op}: codebook {codebook.Describe()} does not match z {z.Describe()} (need [K>=1, {dim}])");
        if ((long)dim * sizeof(float) > z.Device.Accelerator.MaxSharedMemoryPerGroup)
            throw new ArgumentException($"{op}: code dimension {dim} does not fit in one group's shared memory");
    }

    static void Search(Tensor z, Tensor codebook, Tensor indices, int rows, int hw)
    {
        if (rows == 0) return;
        var device = z.Device;
        int codes = codebook.Shape[0], dim = codebook.Shape[1];
        int tileCodes = Math.Clamp(TileFloats / Math.Max(1, dim), 1, codes);
        int groupSize = device.GroupSize(device.WarpSize * 4);
        int groups = Math.Max(1, Math.Min((rows + groupSize - 1) / groupSize, (int)Math.Min(rows, device.ThreadCapacity) / groupSize));
        var config = new KernelConfig(new Index1D(groups), new Index1D(groupSize), SharedMemoryConfig.RequestDynamic<float>(tileCodes * dim));
        device.Kernel(NearestKernel)(config, z.View, codebook.View, indices.IntView, rows, codes, dim, hw, tileCodes);
    }

    /// <summary>The straight-through estimator: the value of <paramref name="zq"/>, the gradient of the identity to
    /// <paramref name="z"/> and none to <paramref name="zq"/>.</summary>
    public static Tensor StraightThrough(Tensor z, Tensor zq)
    {
        Shape.RequireSame("straight_through", z, zq);
        var y = zq.Clone();
        return Backprop.Record(y, new StraightThroughBackward(), z, zq);
    }

    sealed class StraightThroughBackward : GradNode
    {
        public override Tensor?[] Backward(Tensor dy) => [Needs(0) ? dy : null, null];
    }

    /// <summary>‖sg(z) − e‖² averaged over elements → [1]; gradient only to <paramref name="e"/> (the gathered codes).</summary>
    public static Tensor CodebookLoss(Tensor z, Tensor e) => SquaredError("codebook_loss", z, e, 1f, gradToZ: false);

    /// <summary>β‖z − sg(e)‖² averaged over elements → [1]; gradient only to <paramref name="z"/>.</summary>
    public static Tensor CommitmentLoss(Tensor z, Tensor e, float beta) => SquaredError("commitment_loss", z, e, beta, gradToZ: true);

    static Tensor SquaredError(string op, Tensor z, Tensor e, float scale, bool gradToZ)
    {
        Shape.RequireSame(op, z, e);
        var device = z.Device;
        int n = z.Length;
        var y = Tensor.Empty(device, 1);
        int chunk = Math.Max(1, (n + MeanChunks - 1) / MeanChunks);
        int chunks = (n + chunk - 1) / chunk;
        var partials = Tensor.Empty(device, Math.Max(1, chunks));
        if (chunks > 0) device.Launch(PartialKernel, chunks, z.View, e.View, partials.View, n, chunk);
        device.Launch(Reduction.AddPartialsInOrderKernel, 1, partials.View, y.View, chunks, n == 0 ? 0f : scale / n);
        var node = new SquaredErrorBackward(z, e, n == 0 ? 0f : 2f * scale / n, gradToZ);
        return gradToZ ? Backprop.Record(y, node, z) : Backprop.Record(y, node, e);
    }

    /// <summary>Records only the input that gets a gradient; the other is a stop-gradient constant.</summary>
    sealed class SquaredErrorBackward(Tensor z, Tensor e, float scale, bool gradToZ) : GradNode
    {
        public override Tensor?[] Backward(Tensor dy)
        {
            var g = Tensor.Empty(z.Device, z.Shape);
            if (g.Length > 0)
            {
                // d/dz scale·mean((z−e)²) = 2·scale/n·(z − e); d/de = 2·scale/n·(e − z).
                if (gradToZ) z.Device.Launch(DiffKernel, g.Length, z.View, e.View, dy.View, g.View, scale);
                else z.Device.Launch(DiffKernel, g.Length, e.View, z.View, dy.View, g.View, scale);
            }
            return [g];
        }
    }

    /// <summary>Int32 counts [K] of how often each code occurs in <paramref name="indices"/> (deterministic).</summary>
    public static Tensor UsageCounts(Tensor indices, int codes) => Embedding.CountIndices(indices, codes);

    /// <summary>exp(−Σ p log p) of the usage distribution p = counts / Σ counts: K for uniform use, 1 for a single code
    /// (1 as well when nothing was counted).</summary>
    public static double Perplexity(ReadOnlySpan<int> counts)
    {
        long total = 0;
        foreach (var c in counts) total += c;
        if (total == 0) return 1;
        double entropy = 0;
        foreach (var c in counts)
            if (c > 0)
            {
                double p = (double)c / total;
                entropy -= p * Math.Log(p);
            }
        return Math.Exp(entropy);
    }

    /// <summary>Perplexity of device counts (a host edge, for logging: copies the K counts to the host).</summary>
    public static double Perplexity(Tensor counts) => Perplexity(counts.ToIntArray());
}
