using IlgpuVq.Checks.Reference;
using IlgpuVq.Engine.Memory;
using IlgpuVq.Engine.Ops;
using IlgpuVq.Engine.Tensors;

namespace IlgpuVq.Tests.Ops;

/// <summary>Explicit PixelCNN properties of <see cref="MaskedConv2d"/>: exact zero gradients for masked weights, and causality.</summary>
public class MaskedConv2dTests
{
    static (int KH, int KW) KernelShape(MaskKind kind, int k) =>
        kind switch { MaskKind.Full => (k, k), MaskKind.Vertical => (k / 2 + 1, k), _ => (1, k / 2 + 1) };

    [Theory]
    [MemberData(nameof(TestDevices.All), MemberType = typeof(TestDevices))]
    public void DeviceMasksMatchReference(string device)
    {
        var dev = TestDevices.Get(device);
        using var scope = new TensorScope();
        foreach (var kind in Enum.GetValues<MaskKind>())
            foreach (var type in Enum.GetValues<MaskType>())
                foreach (var k in new[] { 3, 5, 7 })
                {
                    var (kh, kw) = KernelShape(kind, k);
                    var mask = MaskedConv2d.BuildMask(dev, kind, type, kh, kw, 3, 2).ToArray();
                    var expected = MaskedConv2dReference.Mask(kind.ToString().ToLowerInvariant(), type == MaskType.B, kh, kw, 3, 2);
                    Assert.Equal(expected.Select(v => (float)v), mask);
                    Assert.Equal(kind == MaskKind.Full || (kind == MaskKind.Horizontal && type == MaskType.A), mask.Contains(0f));
                }
    }

    [Theory]
    [MemberData(nameof(TestDevices.All), MemberType = typeof(TestDevices))]
    public void MaskedOutWeightsGetExactlyZeroGradient(string device)
    {
        var dev = TestDevices.Get(device);
        foreach (var kind in Enum.GetValues<MaskKind>())
            foreach (var type in Enum.GetValues<MaskType>())
            {
                using var scope = new TensorScope();
                var (kh, kw) = KernelShape(kind, 5);
                int cout = 3, cin = 2;
                var x = Tensor.FromArray(dev, SeededValues.Uniform(1, 2 * cin * 6 * 6), 2, cin, 6, 6);
                var w = Tensor.FromArray(dev, SeededValues.Uniform(2, cout * cin * kh * kw), cout, cin, kh, kw);
                w.RequiresGrad = true;
                var mask = MaskedConv2d.BuildMask(dev, kind, type, kh, kw, cout, cin);
                var y = MaskedConv2d.Apply(x, w, mask, null, MaskedConv2d.CausalPadding(kind, kh, kw));
                y.Backward(Tensor.FromArray(dev, SeededValues.Uniform(3, y.Length), y.Shape));
                var grad = w.Grad!.ToArray();
                var m = mask.ToArray();
                for (int i = 0; i < grad.Length; i++)
                {
                    if (m[i] == 0f) Assert.True(grad[i] == 0f, $"{kind} {type}: masked weight {i} has gradient {grad[i]}");
                    else Assert.NotEqual(0f, grad[i]);
                }
                w.Dispose();
            }
    }

    /// <summary>
    /// For every output pixel p: backpropagate a one-hot gradient at p and require dx to be exactly zero at every input pixel
    /// that p must not see (full mask: p itself for type A, and every later pixel in raster order; horizontal stack: the same
    /// row only; vertical stack without its shift: rows above and the current row only) and non-zero somewhere it may see.
    /// </summary>
    [Theory]
    [MemberData(nameof(TestDevices.All), MemberType = typeof(TestDevices))]
    public void OutputDependsOnlyOnAllowedPixels(string device)
    {
        var dev = TestDevices.Get(device);
        const int h = 5, wd = 6, cin = 2, cout = 3;
        foreach (var (kind, type, k) in new[] { (MaskKind.Full, MaskType.A, 7), (MaskKind.Full, MaskType.B, 3),
                     (MaskKind.Horizontal, MaskType.A, 5), (MaskKind.Horizontal, MaskType.B, 3), (MaskKind.Vertical, MaskType.B, 5) })
        {
            var (kh, kw) = KernelShape(kind, k);
            for (int p = 0; p < h * wd; p++)
            {
                using var scope = new TensorScope();
                var x = Tensor.FromArray(dev, SeededValues.Uniform(4, cin * h * wd), 1, cin, h, wd);
                x.RequiresGrad = true;
                var w = Tensor.FromArray(dev, SeededValues.Uniform(5, cout * cin * kh * kw), cout, cin, kh, kw);
                var mask = MaskedConv2d.BuildMask(dev, kind, type, kh, kw, cout, cin);
                var y = MaskedConv2d.Apply(x, w, mask, null, MaskedConv2d.CausalPadding(kind, kh, kw));
                Assert.Equal(new[] { 1, cout, h, wd }, y.Shape);
                var g = new float[y.Length];
                for (int c = 0; c < cout; c++) g[c * h * wd + p] = 1f;
                y.Backward(Tensor.FromArray(dev, g, y.Shape));
                var dx = x.Grad!.ToArray();
                int pr = p / wd, pc = p % wd;
                bool anyVisible = false;
                for (int c = 0; c < cin; c++)
                    for (int q = 0; q < h * wd; q++)
                    {
                        int qr = q / wd, qc = q % wd;
                        bool allowed = kind switch
                        {
                            MaskKind.Full => type == MaskType.A ? q < p : q <= p,
                            MaskKind.Horizontal => qr == pr && (type == MaskType.A ? qc < pc : qc <= pc),
                            _ => qr <= pr,
                        };
                        var v = dx[c * h * wd + q];
                        if (!allowed) Assert.True(v == 0f, $"{kind} {type}: output pixel {p} depends on input pixel {q} (grad {v})");
                        else if (v != 0f) anyVisible = true;
                    }
                if (p > 0 && !(kind == MaskKind.Horizontal && type == MaskType.A && pc == 0))
                    Assert.True(anyVisible, $"{kind} {type}: output pixel {p} sees no input at all");
                x.Dispose();
            }
        }
    }
}
