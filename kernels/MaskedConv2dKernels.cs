using ILGPU;

namespace IlgpuVq.Kernels;

/// <summary>
/// Weight masks for the masked convolutions of a Gated PixelCNN, over weights [Cout,Cin,KH,KW] (every (co,ci) plane gets the
/// same KH×KW pattern; pixels are in raster order, so "earlier" means above, or left on the same row).
/// Kinds (<c>kind</c>): 0 = full k×k PixelCNN mask, centre (KH/2, KW/2): rows above the centre, and on the centre row the
/// columns left of the centre (type B also the centre itself). 1 = vertical stack, kernel (k/2+1)×k: every row up to and
/// including the centre row KW/2 (all of a (k/2+1)×k kernel; the model's down-shift then makes it see only rows above);
/// type A and B are the same. 2 = horizontal stack, kernel 1×(k/2+1) with the current pixel in the last column: the columns
/// left of it (type A) or also the last one (type B). Types (<c>type</c>): 0 = A (excludes the centre), 1 = B (includes it).
/// One work item per weight element, implicitly grouped; the masked convolution itself is conv2d with weight ⊙ mask
/// (<see cref="Conv2dKernels"/>), and the weight gradient is masked with the same <see cref="Multiply"/>.
/// </summary>
public static class MaskedConv2dKernels
{
    /// <summary>mask[i] = 1 where the tap of element i is allowed for (kind, type), else 0.</summary>
    public static void BuildMask(Index1D thread, int total, int stride, ArrayView<float> mask, int kind, int type, int kh, int kw)
    {
        for (long item = thread; item < total; item += stride)
        {
            int i = (int)item;
            int tap = i % (kh * kw);
            int r = tap / kw, c = tap - r * kw;
            mask[i] = Allows(kind, type, kh, kw, r, c) ? 1f : 0f;
        }
    }

    /// <summary>y[i] = w[i]·mask[i] (masking a weight, or the gradient of a masked weight).</summary>
    public static void Multiply(Index1D thread, int total, int stride, ArrayView<float> w, ArrayView<float> mask, ArrayView<float> y)
    {
        for (long item = thread; item < total; item += stride)
        {
            int i = (int)item;
            y[i] = w[i] * mask[i];
        }
    }

    static bool Allows(int kind, int type, int kh, int kw, int r, int c)
    {
        if (kind == 1) return r <= kw / 2;
        if (kind == 2) return c < kw - 1 || (type == 1 && c == kw - 1);
        int cr = kh / 2, cc = kw / 2;
        return r < cr || (r == cr && (c < cc || (type == 1 && c == cc)));
    }
}
