using ILGPU;
using ILGPU.Runtime;
using IlgpuVq.Engine.Devices;
using IlgpuVq.Engine.Tensors;
using IlgpuVq.Kernels;
using V = ILGPU.ArrayView<float>;

namespace IlgpuVq.Engine.Ops;

/// <summary>
/// The weights of one two-stack Gated PixelCNN layer as its modules store them (NCHW): vertical [2C,C,k/2+1,k], v_to_h
/// [2C,2C,1,1], horizontal [2C,C,1,k/2+1], residual and skip [C,C,1,1], each with its bias; <see cref="First"/>: the mask-A
/// layer (the horizontal kernel's last tap masked, no residual input).
/// </summary>
public sealed record GatedLayerWeights(Tensor Vertical, Tensor VerticalBias, Tensor ToHorizontal, Tensor ToHorizontalBias,
    Tensor Horizontal, Tensor HorizontalBias, Tensor Residual, Tensor ResidualBias, Tensor Skip, Tensor SkipBias, bool First)
{
    public int Channels => Vertical.Shape[1];
    /// <summary>Rows of the vertical kernel (k/2+1): the rows of input a layer's window keeps.</summary>
    public int Slots => Vertical.Shape[2];
    /// <summary>The kernel size k.</summary>
    public int Kernel => Vertical.Shape[3];
}

/// <summary>
/// One incremental step of cached Gated PixelCNN sampling (kernels: <see cref="PixelCnnStepKernels"/>; native:
/// <c>Native.PixelCnnStepNative</c>; reference: <c>IlgpuVq.Checks.Reference.PixelCnnStepReference</c>). The state a sampler
/// keeps per layer, pixel-major (a pixel's B×C values contiguous): a window [k/2+1,W,B,C] of vertical-stack input rows (row r
/// in slot r mod (k/2+1)), the row buffer [1,W,B,C] of horizontal-stack input of the current row, the cached v_to_h row
/// [W,B,2C] of the row above, and the class biases [B,2C] (computed once). Inference only: nothing is recorded on the tape. Every call is one launch for the whole batch.
/// </summary>
public static class PixelCnnStep
{
    internal static readonly KernelSlot<Action<KernelConfig, V, V, V, V, V, V, V, V, PixelCnnStepGeometry>> VerticalKernel = new(PixelCnnStepKernels.VerticalRow);
    internal static readonly KernelSlot<Action<KernelConfig, V, V, V, V, V, V, V, V, V, V, V, PixelCnnStepGeometry, int>> HorizontalKernel = new(PixelCnnStepKernels.HorizontalPixel);
    internal static readonly KernelSlot<Action<KernelConfig, V, V, V, V, V, V, int, int, int, int>> HeadKernel = new(PixelCnnStepKernels.Head);
    internal static readonly KernelSlot<Action<Index1D, int, int, V, ArrayView<int>, V, V, PixelCnnStepGeometry, int, int, float, int, uint, uint, ulong>> SampleKernel =
        new(PixelCnnStepKernels.SamplePixel);

    /// <summary>
    /// Row <paramref name="row"/> of the layer's vertical stack from its <paramref name="window"/>: v_to_h of it into
    /// <paramref name="toHorizontal"/> [W,B,2C] (for the horizontal stack of row + 1) and, unless <paramref name="next"/> is null
    /// (last layer), the gated row (with <paramref name="classBias"/> [B,2C]) into the next layer's window. Row −1 sets
    /// <paramref name="toHorizontal"/> to what row 0 sees: v_to_h of the zero row, its bias.
    /// </summary>
    public static void VerticalRow(GatedLayerWeights w, Tensor window, int row, Tensor classBias, Tensor toHorizontal, Tensor? next)
    {
        const string op = "pixelcnn_vertical_row";
        var g = Geometry(op, w, window, classBias, toHorizontal);
        if (row < -1) throw new ArgumentException($"{op}: row must be ≥ −1, got {row}");
        if (g.Slots != w.Slots) throw new ArgumentException($"{op}: window {window.Describe()} must keep the {w.Slots} rows of the vertical kernel");
        g.Row = row;
        g.Taps = w.Kernel;
        if (next != null)
        {
            Shape.RequireRank(op, next, 4);
            if (next.Shape[1] != g.Width || next.Shape[2] != g.Batch || next.Shape[3] != g.Channels)
                throw new ArgumentException($"{op}: next window {next.Describe()} does not match window {window.Describe()}");
            g.Next = next.Shape[0];
        }
        var device = window.Device;
        int items = g.Batch * g.Width;
        device.Kernel(VerticalKernel)(Config(device, items, 2 * g.Channels, 2 * g.Channels), window.View, w.Vertical.View, w.VerticalBias.View,
            w.ToHorizontal.View, w.ToHorizontalBias.View, classBias.View, toHorizontal.View, (next ?? toHorizontal).View, g);
    }

    /// <summary>
    /// Position (current row, <paramref name="column"/>) of the layer's horizontal stack, reading the current row from ring slot
    /// <paramref name="slot"/> of <paramref name="input"/> [S,W,B,C]: writes the layer's output at that column into
    /// <paramref name="output"/> [1,W,B,C] and adds its skip to <paramref name="skip"/> [B,C] (the first layer sets it).
    /// </summary>
    public static void HorizontalPixel(GatedLayerWeights w, Tensor input, int slot, int column, Tensor toHorizontal, Tensor classBias, Tensor output, Tensor skip)
    {
        const string op = "pixelcnn_horizontal_pixel";
        var g = Geometry(op, w, input, classBias, toHorizontal);
        if (slot < 0 || slot >= g.Slots || column < 0 || column >= g.Width)
            throw new ArgumentException($"{op}: slot {slot} / column {column} outside {input.Describe()}");
        if (output.Length != g.Batch * g.Channels * g.Width || skip.Length != g.Batch * g.Channels)
            throw new ArgumentException($"{op}: output {output.Describe()} or skip {skip.Describe()} does not match {input.Describe()}");
        g.Column = column;
        g.Taps = w.Horizontal.Shape[3];
        g.Next = w.First ? 1 : 0;
        var device = input.Device;
        device.Kernel(HorizontalKernel)(Config(device, g.Batch, g.Channels, g.Channels), input.View, w.Horizontal.View, w.HorizontalBias.View,
            toHorizontal.View, classBias.View, w.Residual.View, w.ResidualBias.View, w.Skip.View, w.SkipBias.View, output.View, skip.View, g, slot);
    }

    /// <summary>logits [B,K] = w2·ReLU(w1·ReLU(skip) + b1) + b2 for skip [B,C], w1 [M,C,1,1], w2 [K,M,1,1].</summary>
    public static void Head(Tensor skip, Tensor w1, Tensor b1, Tensor w2, Tensor b2, Tensor logits)
    {
        const string op = "pixelcnn_head";
        Shape.RequireRank(op, skip, 2);
        int batch = skip.Shape[0], channels = skip.Shape[1], hidden = w1.Shape[0], classes = w2.Shape[0];
        if (w1.Length != hidden * channels || w2.Length != classes * hidden || b1.Length != hidden || b2.Length != classes || logits.Length != batch * classes)
            throw new ArgumentException($"{op}: skip {skip.Describe()}, w1 {w1.Describe()}, w2 {w2.Describe()}, logits {logits.Describe()} do not fit");
        var device = skip.Device;
        device.Kernel(HeadKernel)(Config(device, batch, Math.Max(hidden, classes), hidden), skip.View, w1.View, b1.View, w2.View, b2.View,
            logits.View, batch, channels, hidden, classes);
    }

    /// <summary>
    /// Draws the code at (<paramref name="row"/>, <paramref name="column"/>) of every sample from logits [B,K] exactly as
    /// <see cref="Rng.SampleCategorical"/> would from the full map (same seed, offset and counters), writes it into
    /// <paramref name="codes"/> [B,H,W] and its embedding row (<paramref name="embedding"/> [K,C]) into ring slot row mod S of
    /// layer 0's window [S,W,m·B,C], into every window row b + j·B of sample b (m = 2 for guided sampling, whose window holds
    /// the conditional rows and then the null-class rows: both see the code drawn from the mixed logits).
    /// </summary>
    public static void SamplePixel(Tensor logits, int row, int column, float temperature, ulong seed, ulong offset, Tensor codes, Tensor embedding, Tensor window)
    {
        const string op = "pixelcnn_sample_pixel";
        Shape.RequireRank(op, logits, 2);
        Shape.RequireRank(op, codes, 3);
        Shape.RequireRank(op, window, 4);
        int batch = logits.Shape[0], classes = logits.Shape[1], height = codes.Shape[1], width = codes.Shape[2];
        if (codes.DType != DType.Int32 || codes.Shape[0] != batch || embedding.Shape[0] != classes || batch < 1 || window.Shape[2] % batch != 0
            || window.Shape[2] == 0 || window.Shape[3] != embedding.Shape[1] || window.Shape[1] != width)
            throw new ArgumentException($"{op}: logits {logits.Describe()}, codes {codes.Describe()}, embedding {embedding.Describe()}, window {window.Describe()} do not fit");
        if (row < 0 || row >= height || column < 0 || column >= width)
            throw new ArgumentException($"{op}: position ({row},{column}) outside {codes.Describe()}");
        var g = new PixelCnnStepGeometry
        {
            Batch = window.Shape[2], Channels = window.Shape[3], Width = width, Slots = window.Shape[0], Row = row, Column = column, Samples = batch,
        };
        bool greedy = temperature <= 0f;
        var device = logits.Device;
        device.Launch(SampleKernel, batch, logits.View, codes.IntView, embedding.View, window.View, g, height, classes,
            greedy ? 1f : 1f / temperature, greedy ? 1 : 0, (uint)seed, (uint)(seed >> 32), offset);
    }

    static PixelCnnStepGeometry Geometry(string op, GatedLayerWeights w, Tensor window, Tensor classBias, Tensor toHorizontal)
    {
        Shape.RequireRank(op, window, 4);
        int batch = window.Shape[2], channels = window.Shape[3], width = window.Shape[1];
        if (channels != w.Channels)
            throw new ArgumentException($"{op}: window {window.Describe()} has {channels} channels, the layer {w.Channels}");
        if (classBias.Length != batch * 2 * channels || toHorizontal.Length != batch * 2 * channels * width)
            throw new ArgumentException($"{op}: class bias {classBias.Describe()} or v_to_h row {toHorizontal.Describe()} does not match {window.Describe()}");
        Shape.RequireSameDevice(op, window, classBias, toHorizontal, w.Vertical);
        return new PixelCnnStepGeometry { Batch = batch, Channels = channels, Width = width, Slots = window.Shape[0] };
    }

    /// <summary>A group per item (grid-stride over items where the device wants fewer groups), threads over channels.</summary>
    static KernelConfig Config(ComputeDevice device, int items, int wantedThreads, int sharedFloats)
    {
        int groupSize = device.GroupSize(wantedThreads);
        int groups = Math.Max(1, Math.Min(items, (int)Math.Min((long)items * groupSize, device.ThreadCapacity) / groupSize));
        return new KernelConfig(new Index1D(groups), new Index1D(groupSize), SharedMemoryConfig.RequestDynamic<float>(Math.Max(1, sharedFloats)));
    }
}
