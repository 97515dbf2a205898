using IlgpuVq.Engine.Autograd;
using IlgpuVq.Engine.Devices;
using IlgpuVq.Engine.Tensors;
using IlgpuVq.Kernels;

namespace IlgpuVq.Engine.Ops;

/// <summary>
/// Transposed 2-D convolution with PyTorch semantics: x [N,Cin,H,W], weight [Cin,Cout,kH,kW], optional bias [Cout] →
/// y [N,Cout,Hout,Wout], Hout = (H − 1)·strideH − 2·padH + kH + outputPaddingH (likewise Wout).
/// Reference: <c>IlgpuVq.Checks.Reference.ConvTranspose2dReference</c>. Gradients flow to x, weight and bias.
/// <para>A transposed convolution is the adjoint of a convolution, so this op has no kernels of its own: it runs
/// <see cref="Conv2d"/>'s launches on the "equivalent convolution" y → x, the <see cref="Conv2dGeometry"/> with
/// N, Cin = Cout_t, H = Hout, W = Wout, Cout = Cin_t, OH = H, OW = W, KH, KW, SH, SW = stride, PT, PL = padding, whose weight
/// [Cout, Cin, KH, KW] is exactly this op's [Cin_t, Cout_t, KH, KW]: the forward is that convolution's input gradient (a
/// gather, with this op's bias), dx its forward applied to dy, dw its weight gradient with x as the output gradient and dy
/// as the input, db <see cref="Conv2d.BiasGrad"/> of dy. In <c>profile</c> these launches are rows of their own,
/// <c>Conv2dKernels.… (conv_transpose2d)</c> (<see cref="ComputeDevice.ProfileAs"/>).</para>
/// </summary>
public static class ConvTranspose2d
{
    const string OpName = "conv_transpose2d";

    /// <summary>Transposed convolution with the same stride, padding and output padding on both axes.</summary>
    public static Tensor Apply(Tensor x, Tensor weight, Tensor? bias, int stride = 1, int padding = 0, int outputPadding = 0) =>
        Apply(x, weight, bias, stride, stride, padding, padding, outputPadding, outputPadding);

    /// <summary>Transposed convolution with per-axis stride, padding and output padding (output padding &lt; stride).</summary>
    public static Tensor Apply(Tensor x, Tensor weight, Tensor? bias, int strideH, int strideW, int padH, int padW,
        int outputPaddingH, int outputPaddingW)
    {
        const string op = OpName;
        Shape.RequireRank(op, x, 4);
        Shape.RequireRank(op, weight, 4);
        if (bias != null) Shape.RequireSameDevice(op, x, weight, bias); else Shape.RequireSameDevice(op, x, weight);
        int n = x.Shape[0], cin = x.Shape[1], h = x.Shape[2], w = x.Shape[3];
        int cout = weight.Shape[1], kh = weight.Shape[2], kw = weight.Shape[3];
        if (weight.Shape[0] != cin)
            throw new ArgumentException($"{op}: weight {weight.Describe()} expects {weight.Shape[0]} input channels, input {x.Describe()} has {cin}");
        if (bias != null && (bias.Rank != 1 || bias.Shape[0] != cout))
            throw new ArgumentException($"{op}: bias {bias.Describe()} must be [{cout}] for weight {weight.Describe()}");
        if (strideH < 1 || strideW < 1 || padH < 0 || padW < 0 || outputPaddingH < 0 || outputPaddingW < 0
            || outputPaddingH >= strideH || outputPaddingW >= strideW)
            throw new ArgumentException($"{op}: need stride ≥ 1, padding ≥ 0, 0 ≤ output padding < stride; got stride ({strideH},{strideW}), " +
                                        $"padding ({padH},{padW}), output padding ({outputPaddingH},{outputPaddingW})");
        int hout = (h - 1) * strideH - 2 * padH + kh + outputPaddingH, wout = (w - 1) * strideW - 2 * padW + kw + outputPaddingW;
        if (n < 1 || cin < 1 || cout < 1 || h < 1 || w < 1 || kh < 1 || kw < 1 || hout < 1 || wout < 1)
            throw new ArgumentException($"{op}: input {x.Describe()} with weight {weight.Describe()} gives an empty output [{n},{cout},{hout},{wout}]");

        var g = new Conv2dGeometry
        {
            N = n, Cin = cout, H = hout, W = wout, Cout = cin, OH = h, OW = w, KH = kh, KW = kw,
            SH = strideH, SW = strideW, PT = padH, PL = padW,
        };
        var device = x.Device;
        var y = Tensor.Empty(device, n, cout, hout, wout);
        using (device.ProfileAs(op)) Conv2d.LaunchInputGrad(device, x, weight, bias, null, y, g);
        var inputs = bias == null ? new[] { x, weight } : new[] { x, weight, bias };
        return Backprop.Record(y, new ConvTranspose2dBackward(x, weight, g, bias != null), inputs);
    }

    sealed class ConvTranspose2dBackward(Tensor x, Tensor weight, Conv2dGeometry g, bool hasBias) : GradNode
    {
        public override Tensor?[] Backward(Tensor dy)
        {
            var device = dy.Device;
            using var profiled = device.ProfileAs(OpName);
            Tensor? dx = null, dw = null, db = null;
            if (Needs(0))
            {
                dx = Tensor.Empty(device, x.Shape);
                Conv2d.LaunchForward(device, dy, weight, null, dx, g);
            }
            if (Needs(1))
            {
                dw = Tensor.Empty(device, weight.Shape);
                Conv2d.LaunchWeightGrad(device, x, dy, dw, g);
            }
            if (hasBias && Needs(2)) db = Conv2d.BiasGrad(dy);
            return hasBias ? [dx, dw, db] : [dx, dw];
        }
    }
}
