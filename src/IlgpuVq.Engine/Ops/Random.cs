using ILGPU;
using ILGPU.Runtime;
using IlgpuVq.Engine.Devices;
using IlgpuVq.Engine.Tensors;
using IlgpuVq.Kernels;
using V = ILGPU.ArrayView<float>;

namespace IlgpuVq.Engine.Ops;

/// <summary>
/// Counter-based device random numbers (Philox4x32-10; kernels: <see cref="RandomKernels"/>; reference:
/// <c>IlgpuVq.Checks.Reference.RandomReference</c>). Every result is a pure function of (seed, offset, element
/// index): the same call gives the same numbers on any device and group size, and element i of a call with offset o
/// equals element i - d of the same call with offset o + d. Callers that draw repeatedly with one seed advance the
/// offset by the number of elements drawn. Nothing here is differentiable or recorded on the tape.
/// </summary>
public static class Rng
{
    internal static readonly KernelSlot<Action<Index1D, int, int, ArrayView<int>, uint, uint, ulong>> BitsKernel =
        new(RandomKernels.UniformBits);
    internal static readonly KernelSlot<Action<Index1D, int, int, V, uint, uint, ulong, float, float>> UniformKernel =
        new(RandomKernels.Uniform);
    internal static readonly KernelSlot<Action<Index1D, int, int, V, uint, uint, ulong, float, float>> NormalKernel =
        new(RandomKernels.Normal);
    internal static readonly KernelSlot<Action<Index1D, int, int, V, ArrayView<int>, int, int, int, float, int, uint, uint, ulong, int, int>> SampleKernel =
        new(RandomKernels.SampleCategorical);
    internal static readonly KernelSlot<Action<Index1D, int, int, V, int, int, ArrayView<int>>> ArgmaxKernel =
        new(RandomKernels.ArgmaxChannel);

    static (uint, uint) Key(ulong seed) => ((uint)seed, (uint)(seed >> 32));

    /// <summary>The raw first Philox word of each element, as int32 bits (for exact comparisons with the reference).</summary>
    public static Tensor UniformBits(ComputeDevice device, ulong seed, ulong offset, int[] shape)
    {
        var y = Tensor.EmptyInt(device, shape);
        var (k0, k1) = Key(seed);
        if (y.Length > 0) device.Launch(BitsKernel, y.Length, y.IntView, k0, k1, offset);
        return y;
    }

    /// <summary>Uniform values in [lo, hi) (24-bit resolution).</summary>
    public static Tensor Uniform(ComputeDevice device, ulong seed, ulong offset, int[] shape, float lo = 0f, float hi = 1f)
    {
        var y = Tensor.Empty(device, shape);
        FillUniform(y, seed, offset, lo, hi);
        return y;
    }

    /// <summary>Normal values with the given mean and standard deviation (Box–Muller, one Philox block per element).</summary>
    public static Tensor Normal(ComputeDevice device, ulong seed, ulong offset, int[] shape, float mean = 0f, float std = 1f)
    {
        var y = Tensor.Empty(device, shape);
        FillNormal(y, seed, offset, mean, std);
        return y;
    }

    /// <summary>Overwrites <paramref name="y"/> with uniform values in [lo, hi), in place.</summary>
    public static void FillUniform(Tensor y, ulong seed, ulong offset, float lo, float hi)
    {
        var (k0, k1) = Key(seed);
        if (y.Length > 0) y.Device.Launch(UniformKernel, y.Length, y.View, k0, k1, offset, lo, hi);
    }

    /// <summary>Overwrites <paramref name="y"/> with normal values, in place.</summary>
    public static void FillNormal(Tensor y, ulong seed, ulong offset, float mean, float std)
    {
        var (k0, k1) = Key(seed);
        if (y.Length > 0) y.Device.Launch(NormalKernel, y.Length, y.View, k0, k1, offset, mean, std);
    }

    /// <summary>
    /// A new persistent (unscoped) parameter tensor with Kaiming-uniform values: U(-bound, bound),
    /// bound = gain·sqrt(3 / fanIn). gain = √2 (default) suits ReLU; gain = 1/√3 reproduces PyTorch's default
    /// Conv/Linear weight init (bound = 1/sqrt(fanIn)).
    /// </summary>
    public static Tensor KaimingUniform(ComputeDevice device, ulong seed, int[] shape, int fanIn, double gain = 1.4142135623730951)
    {
        if (fanIn <= 0) throw new ArgumentException($"kaiming_uniform: fanIn must be positive, got {fanIn} for shape {Shape.Format(shape)}");
        return UniformParameter(device, seed, shape, (float)(gain * Math.Sqrt(3.0 / fanIn)));
    }

    /// <summary>A new persistent (unscoped) tensor with values in U(-bound, bound) (offset 0), e.g. a codebook or a bias.</summary>
    public static Tensor UniformParameter(ComputeDevice device, ulong seed, int[] shape, float bound)
    {
        var t = Tensor.Persistent(device, DType.Float32, shape);
        FillUniform(t, seed, 0, -bound, bound);
        return t;
    }

    /// <summary>
    /// Samples position (h, w) of every image: codes[b,h,w] = argmax_k(logits[b,k,h,w]/T + Gumbel noise), i.e. a draw
    /// from softmax(logits[b,:,h,w]/T). temperature ≤ 0 gives the argmax (the T → 0 limit). Ties go to the lowest k.
    /// The noise of (b,h,w,k) uses counter offset + ((b·H + h)·W + w)·K + k, so one offset can serve a whole
    /// image-by-image sampling pass. Other entries of <paramref name="codes"/> are left untouched. <paramref name="codes"/> may hold
    /// m·B maps [m·B,H,W] (m ≥ 1): image b's code then goes to maps b, B + b, …, (m − 1)·B + b (a guided sampler's conditional and
    /// null-class rows share their code maps).
    /// </summary>
    public static void SampleCategorical(Tensor logits, int h, int w, float temperature, ulong seed, ulong offset, Tensor codes)
    {
        Shape.RequireRank("sample_categorical", logits, 4);
        int b = logits.Shape[0], k = logits.Shape[1], height = logits.Shape[2], width = logits.Shape[3];
        int copies = b > 0 && codes.Rank == 3 ? codes.Shape[0] / b : 1;
        if (codes.DType != DType.Int32 || copies < 1 || !codes.Shape.AsSpan().SequenceEqual([copies * b, height, width]))
            throw new ArgumentException($"sample_categorical: codes must be int32 [{b},{height},{width}] (or a multiple of {b} maps) for logits {logits.Describe()}, got {codes.Describe()}");
        if (h < 0 || h >= height || w < 0 || w >= width || k == 0)
            throw new ArgumentException($"sample_categorical: position ({h},{w}) outside logits {logits.Describe()}");
        Shape.RequireSameDevice("sample_categorical", logits, codes);
        var (k0, k1) = Key(seed);
        bool greedy = temperature <= 0f;
        if (b > 0)
            logits.Device.Launch(SampleKernel, b, logits.View, codes.IntView, k, height * width, h * width + w,
                greedy ? 1f : 1f / temperature, greedy ? 1 : 0, k0, k1, offset, b, copies);
    }

    /// <summary>Argmax over the channel axis: [B,K,...] float → [B,...] int32 (rank 2 gives [B]). Ties → lowest k.</summary>
    public static Tensor Argmax(Tensor logits)
    {
        if (logits.Rank < 2 || logits.Shape[1] == 0) throw new ArgumentException($"argmax: expected [B,K,...] with K > 0, got {logits.Describe()}");
        int[] shape = [logits.Shape[0], .. logits.Shape[2..]];
        int classes = logits.Shape[1];
        int inner = 1;
        for (int d = 2; d < logits.Rank; d++) inner *= logits.Shape[d];
        var codes = Tensor.EmptyInt(logits.Device, shape);
        if (codes.Length > 0) logits.Device.Launch(ArgmaxKernel, codes.Length, logits.View, classes, inner, codes.IntView);
        return codes;
    }
}
