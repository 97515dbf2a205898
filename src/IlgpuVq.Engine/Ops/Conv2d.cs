using ILGPU;
using ILGPU.Runtime;
using IlgpuVq.Engine.Autograd;
using IlgpuVq.Engine.Devices;
using IlgpuVq.Engine.Tensors;
using IlgpuVq.Kernels;
using TileDelegate = System.Action<ILGPU.Index1D, int, int, ILGPU.ArrayView<float>, ILGPU.ArrayView<float>, ILGPU.ArrayView<float>,
    ILGPU.ArrayView<float>, IlgpuVq.Kernels.Conv2dGeometry, int>;
using InputGradDelegate = System.Action<ILGPU.Index1D, int, int, ILGPU.ArrayView<float>, ILGPU.ArrayView<float>, ILGPU.ArrayView<float>,
    ILGPU.ArrayView<float>, ILGPU.ArrayView<float>, IlgpuVq.Kernels.Conv2dGeometry, int>;
using SharedInputGradDelegate = System.Action<ILGPU.KernelConfig, ILGPU.ArrayView<float>, ILGPU.ArrayView<float>, ILGPU.ArrayView<float>,
    ILGPU.ArrayView<float>, ILGPU.ArrayView<float>, IlgpuVq.Kernels.Conv2dGeometry, int, int>;
using WeightGradDelegate = System.Action<ILGPU.Index1D, int, int, ILGPU.ArrayView<float>, ILGPU.ArrayView<float>, ILGPU.ArrayView<float>,
    IlgpuVq.Kernels.Conv2dGeometry, int>;
using SharedTileDelegate = System.Action<ILGPU.KernelConfig, ILGPU.ArrayView<float>, ILGPU.ArrayView<float>, ILGPU.ArrayView<float>,
    ILGPU.ArrayView<float>, IlgpuVq.Kernels.Conv2dGeometry, int, int>;
using SharedWeightGradDelegate = System.Action<ILGPU.KernelConfig, ILGPU.ArrayView<float>, ILGPU.ArrayView<float>, ILGPU.ArrayView<float>,
    IlgpuVq.Kernels.Conv2dGeometry, int, int>;
using BiasGradDelegate = System.Action<ILGPU.Index1D, int, int, ILGPU.ArrayView<float>, ILGPU.ArrayView<float>, int, int, int, int>;

namespace IlgpuVq.Engine.Ops;

/// <summary>Zero padding of a 2-D convolution, per side.</summary>
public readonly record struct Padding2d(int Top, int Bottom, int Left, int Right)
{
    /// <summary><paramref name="p"/> on every side.</summary>
    public static Padding2d Same(int p) => new(p, p, p, p);

    public override string ToString() => $"t{Top} b{Bottom} l{Left} r{Right}";
}

/// <summary>
/// 2-D convolution (cross-correlation, as in PyTorch) over NCHW: x [N,Cin,H,W], weight [Cout,Cin,kH,kW], optional
/// bias [Cout] → y [N,Cout,OH,OW], OH = (H + top + bottom − kH) / strideH + 1 (likewise OW).
/// Kernels: <see cref="Conv2dKernels"/>; reference: <c>IlgpuVq.Checks.Reference.Conv2dReference</c>.
/// Gradients flow to x, weight and bias; 1×1 convolutions take the same implicit-GEMM path.
/// </summary>
public static class Conv2d
{
    /// <summary>Flops of every convolution kernel (forward and both gradients do the same multiply-adds): 2·N·Cout·OH·OW·Cin·KH·KW.
    /// Declared before the slots that use it (static fields initialize in order).</summary>
    static readonly KernelCost MultiplyAdds = KernelCost.Of<Conv2dGeometry>(g => 2.0 * g.N * g.Cout * g.OH * g.OW * g.Cin * g.KH * g.KW);
    internal static readonly KernelSlot<TileDelegate> ForwardKernel = new(Conv2dKernels.Forward, MultiplyAdds);
    internal static readonly KernelSlot<InputGradDelegate> InputGradKernel = new(Conv2dKernels.InputGrad, MultiplyAdds);
    internal static readonly KernelSlot<WeightGradDelegate> WeightGradKernel = new(Conv2dKernels.WeightGrad, MultiplyAdds);
    internal static readonly KernelSlot<BiasGradDelegate> BiasGradKernel = new(Conv2dKernels.BiasGrad);
    internal static readonly KernelSlot<Action<Index1D, int, int, ArrayView<float>, ArrayView<float>, int, int>> SumChunksKernel = new(Conv2dKernels.SumChunks);
    // The shared-memory block-tile variants (GPUs; see SharedTiling), shared with conv_transpose2d and masked_conv2d.
    internal static readonly KernelSlot<SharedTileDelegate> SharedForwardKernel = new(Conv2dSharedKernels.Forward, MultiplyAdds);
    internal static readonly KernelSlot<SharedInputGradDelegate> SharedInputGradKernel = new(Conv2dSharedKernels.InputGrad, MultiplyAdds);
    internal static readonly KernelSlot<SharedWeightGradDelegate> SharedWeightGradKernel = new(Conv2dSharedKernels.WeightGrad, MultiplyAdds);

    /// <summary>Convolution with the same stride and padding in both directions.</summary>
    public static Tensor Apply(Tensor x, Tensor weight, Tensor? bias, int stride = 1, int padding = 0) =>
        Apply(x, weight, bias, stride, stride, Padding2d.Same(padding));

    /// <summary>Convolution with separate vertical/horizontal strides and per-side zero padding. With <paramref name="reluInput"/>
    /// it is the convolution of relu(x) (= conv2d(<see cref="Elementwise.Relu"/>(x), …), the same values), the ReLU fused into
    /// the convolution's reads of x (<see cref="Conv2dGeometry.ReluInput"/>): relu(x) is never stored, and the gradient to x is
    /// the input gradient masked where x ≤ 0 as the input-gradient kernel stores it.</summary>
    public static Tensor Apply(Tensor x, Tensor weight, Tensor? bias, int strideH, int strideW, Padding2d padding, bool reluInput = false)
    {
        var g = Geometry("conv2d", x, weight, bias, strideH, strideW, padding);
        g.ReluInput = reluInput ? 1 : 0;
        var device = x.Device;
        var y = Tensor.Empty(device, g.N, g.Cout, g.OH, g.OW);
        LaunchForward(device, x, weight, bias, y, g);
        var inputs = bias == null ? new[] { x, weight } : new[] { x, weight, bias };
        return Backprop.Record(y, new Conv2dBackward(x, weight, g, bias != null), inputs);
    }

    /// <summary>Validates shapes and computes the kernel geometry (output size included).</summary>
    internal static Conv2dGeometry Geometry(string op, Tensor x, Tensor weight, Tensor? bias, int strideH, int strideW, Padding2d p)
    {
        Shape.RequireRank(op, x, 4);
        Shape.RequireRank(op, weight, 4);
        if (bias != null) Shape.RequireSameDevice(op, x, weight, bias); else Shape.RequireSameDevice(op, x, weight);
        if (strideH < 1 || strideW < 1) throw new ArgumentException($"{op}: strides must be ≥ 1, got ({strideH},{strideW})");
        if (p.Top < 0 || p.Bottom < 0 || p.Left < 0 || p.Right < 0) throw new ArgumentException($"{op}: negative padding {p}");
        int n = x.Shape[0], cin = x.Shape[1], h = x.Shape[2], w = x.Shape[3];
        int cout = weight.Shape[0], kh = weight.Shape[2], kw = weight.Shape[3];
        if (weight.Shape[1] != cin)
            throw new ArgumentException($"{op}: weight {weight.Describe()} expects {weight.Shape[1]} input channels, input {x.Describe()} has {cin}");
        if (bias != null && (bias.Rank != 1 || bias.Shape[0] != cout))
            throw new ArgumentException($"{op}: bias {bias.Describe()} must be [{cout}] for weight {weight.Describe()}");
        if (kh < 1 || kw < 1 || cout < 1 || cin < 1 || n < 1) throw new ArgumentException($"{op}: empty input {x.Describe()} or weight {weight.Describe()}");
        int oh = (h + p.Top + p.Bottom - kh) / strideH + 1, ow = (w + p.Left + p.Right - kw) / strideW + 1;
        if (h + p.Top + p.Bottom < kh || w + p.Left + p.Right < kw)
            throw new ArgumentException($"{op}: kernel {kh}x{kw} is larger than the padded input {x.Describe()} with padding {p}");
        return new Conv2dGeometry
        {
            N = n, Cin = cin, H = h, W = w, Cout = cout, OH = oh, OW = ow, KH = kh, KW = kw,
            SH = strideH, SW = strideW, PT = p.Top, PL = p.Left,
        };
    }

    internal static void LaunchForward(ComputeDevice device, Tensor x, Tensor weight, Tensor? bias, Tensor y, Conv2dGeometry g)
    {
        if (SharedTiling.Uses(device))
        {
            var (config, gn) = SharedTiling.Launch(device, g.Cout, g.N * g.OH * g.OW, 1);
            device.Kernel(SharedForwardKernel)(config, x.View, weight.View, (bias ?? weight).View, y.View, g, bias != null ? 1 : 0, gn);
            return;
        }
        device.Launch(ForwardKernel, Conv2dKernels.ForwardItems(g), x.View, weight.View, (bias ?? weight).View, y.View, g, bias != null ? 1 : 0);
    }

    /// <summary>dx = the input gradient at dy (+ bias, conv_transpose2d's forward); with <see cref="Conv2dGeometry.ReluInput"/>
    /// masked where <paramref name="x"/> ≤ 0 (ReLU's backward, in the kernel's stores).</summary>
    internal static void LaunchInputGrad(ComputeDevice device, Tensor dy, Tensor weight, Tensor? bias, Tensor? x, Tensor dx, Conv2dGeometry g)
    {
        if (g.ReluInput != 0 && x == null) throw new ArgumentException("conv2d: the input gradient of a convolution of relu(x) needs x");
        var xv = (x ?? dy).View;
        if (SharedTiling.Uses(device))
        {
            var (config, gn) = SharedTiling.Launch(device, g.Cin, g.N * g.H * g.W, 1);
            device.Kernel(SharedInputGradKernel)(config, dy.View, weight.View, (bias ?? weight).View, xv, dx.View, g, bias != null ? 1 : 0, gn);
            return;
        }
        device.Launch(InputGradKernel, Conv2dKernels.InputGradItems(g), dy.View, weight.View, (bias ?? weight).View, xv, dx.View, g, bias != null ? 1 : 0);
    }

    /// <summary>
    /// dw = Σ dy ⋆ x (the shared-memory kernel where <see cref="SharedTiling"/> says so): one pass when the weight tiles alone
    /// fill the device, otherwise per-batch-chunk partial sums and a fixed-order <see cref="Conv2dKernels.SumChunks"/> pass.
    /// </summary>
    internal static void LaunchWeightGrad(ComputeDevice device, Tensor dy, Tensor x, Tensor dw, Conv2dGeometry g)
    {
        bool shared = SharedTiling.Uses(device);
        int taps = g.Cin * g.KH * g.KW;
        int tiles = Conv2dKernels.WeightGradTiles(g);
        int per = BatchesPerChunk(device, shared ? SharedTiling.Threads(device, g.Cout, taps) : tiles, g.N), chunks = Tiles(g.N, per);
        var target = chunks == 1 ? dw : Tensor.Empty(device, chunks, dw.Length);
        if (shared)
        {
            var (config, gn) = SharedTiling.Launch(device, g.Cout, taps, chunks);
            device.Kernel(SharedWeightGradKernel)(config, dy.View, x.View, target.View, g, per, gn);
        }
        else device.Launch(WeightGradKernel, chunks * tiles, dy.View, x.View, target.View, g, per);
        if (chunks == 1) return;
        device.Launch(SumChunksKernel, dw.Length, target.View, dw.View, chunks, dw.Length);
        target.Dispose(); // safe: the pool hands it out again only to work queued after this on the same stream
    }

    /// <summary>db[c] = Σ over batch and plane of dy [N,C,H,W] (split over batch chunks when C alone is too few threads).</summary>
    internal static Tensor BiasGrad(Tensor dy)
    {
        var device = dy.Device;
        int n = dy.Shape[0], c = dy.Shape[1], plane = dy.Shape[2] * dy.Shape[3];
        var db = Tensor.Empty(device, c);
        int per = BatchesPerChunk(device, c, n), chunks = Tiles(n, per);
        if (chunks == 1)
        {
            device.Launch(BiasGradKernel, c, dy.View, db.View, n, c, plane, per);
            return db;
        }
        var partial = Tensor.Empty(device, chunks, c);
        device.Launch(BiasGradKernel, chunks * c, dy.View, partial.View, n, c, plane, per);
        device.Launch(SumChunksKernel, c, partial.View, db.View, chunks, c);
        partial.Dispose();
        return db;
    }

    /// <summary>
    /// Batches per chunk so that chunks × <paramref name="threads"/> roughly fills the device
    /// (<see cref="ComputeDevice.ThreadCapacity"/>); all of <paramref name="batch"/> when one chunk already does.
    /// </summary>
    static int BatchesPerChunk(ComputeDevice device, int threads, int batch)
    {
        long capacity = device.ThreadCapacity;
        long wanted = Math.Clamp((capacity + threads - 1) / Math.Max(1, threads), 1, batch);
        return (int)((batch + wanted - 1) / wanted);
    }

    static int Tiles(int n, int tile) => Conv2dKernels.Tiles(n, tile);

    sealed class Conv2dBackward(Tensor x, Tensor weight, Conv2dGeometry g, bool hasBias) : GradNode
    {
        public override Tensor?[] Backward(Tensor dy)
        {
            var device = dy.Device;
            Tensor? dx = null, dw = null, db = null;
            if (Needs(0))
            {
                dx = Tensor.Empty(device, x.Shape);
                LaunchInputGrad(device, dy, weight, null, x, dx, g);
            }
            if (Needs(1))
            {
                dw = Tensor.Empty(device, weight.Shape);
                LaunchWeightGrad(device, dy, x, dw, g);
            }
            if (hasBias && Needs(2)) db = BiasGrad(dy);
            return hasBias ? [dx, dw, db] : [dx, dw];
        }
    }
}
