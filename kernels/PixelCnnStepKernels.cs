using ILGPU;

namespace IlgpuVq.Kernels;

/// <summary>
/// Sizes of one incremental Gated PixelCNN step (<see cref="PixelCnnStepKernels"/>): <c>Batch</c> samples, <c>Channels</c> C
/// per stack (gates on 2C), code-grid <c>Width</c>; a layer's input window is a ring of <c>Slots</c> rows [Slots,W,B,C] where
/// input row r lives in slot r mod Slots (pixel-major: the B×C values of one pixel are contiguous, so a step touches a few
/// contiguous blocks). <c>Taps</c> is the kernel width k (vertical) or k/2+1 (horizontal).
/// </summary>
public struct PixelCnnStepGeometry
{
    public int Batch, Channels, Width, Slots, Taps;
    /// <summary>VerticalRow: the row computed (−1: none yet, the cached v_to_h row is its bias); SamplePixel: the row sampled.</summary>
    public int Row;
    /// <summary>HorizontalPixel and SamplePixel: the column of the position.</summary>
    public int Column;
    /// <summary>VerticalRow: ring rows of the next layer's window (0 = last layer, nothing written).
    /// HorizontalPixel: 1 for the mask-A first layer (last tap masked, no residual input, skip sum restarted).</summary>
    public int Next;
    /// <summary>SamplePixel: the samples drawn (codes [Samples, height, W]); the window holds Batch = m·Samples rows (m = 2 when guided).</summary>
    public int Samples;
}

/// <summary>
/// Inference kernels of cached incremental Gated PixelCNN sampling (Ramachandran, Paine et al. 2017, "Fast Generation for
/// Convolutional Autoregressive Models"), for the two-stack layer of <c>IlgpuVq.Models.Prior.GatedLayer</c>; NCHW weights as
/// the layer stores them; state pixel-major: windows and row buffers [Slots,W,B,C], cached v_to_h rows [W,B,2C], skip sums [B,C]. Per completed row, each layer's <see cref="VerticalRow"/>; per position, each layer's
/// <see cref="HorizontalPixel"/>, then <see cref="Head"/> and <see cref="SamplePixel"/>: one launch per layer per step, all
/// samples of the batch in one launch, state only on the device.
/// <list type="bullet">
/// <item><see cref="VerticalRow"/>: explicitly grouped, a group per (sample, column) (grid-stride over them), threads over the
/// 2C channels; vPre (2C floats, dynamic shared memory) = the (k/2+1)×k vertical convolution over the layer's window, then
/// v_to_h(vPre) for the next row's horizontal stack and tanh·σ(vPre + class bias) into the next layer's window.</item>
/// <item><see cref="HorizontalPixel"/>: a group per sample, threads over channels; the gated value (C floats, shared) of the
/// 1×(k/2+1) horizontal convolution over the current row + cached v_to_h + class bias, then the 1×1 residual and skip.</item>
/// <item><see cref="Head"/>: a group per sample; ReLU → 1×1 (hidden in shared memory) → ReLU → 1×1 to the K logits.</item>
/// <item><see cref="SamplePixel"/>: one work item per sample: the Gumbel-max draw of <see cref="RandomKernels.SampleCategorical"/>
/// (same counters, so the same code for the same logits), written into the code map and, embedded, into layer 0's window (into
/// both the conditional and the null-class row of the sample when the window holds a guided sampler's 2B rows).</item>
/// </list>
/// Sums run in a fixed order (bias first, then inputs ascending), no atomics.
/// </summary>
public static class PixelCnnStepKernels
{
    /// <summary>
    /// For item (b, j): with in(b, ci, r, x) = window[((r mod Slots)·W + x)·B + b)·C + ci],
    /// pre[o] = bias[o] + Σ_{ci,s,t} weight[o,ci,s,t]·in(b, ci, Row − Slots + 1 + s, j − Taps/2 + t) (rows &lt; 0 and
    /// columns outside the grid read 0; pre = 0 when Row &lt; 0); toH[(j·B + b)·2C + o] = toHBias[o] + Σ_i toHWeight[o,i]·pre[i];
    /// next[((Row mod Next)·W + j)·B + b)·C + c] = tanh(pre[c] + classBias[b,c])·σ(pre[C+c] + classBias[b,C+c]) when Next &gt; 0 and Row ≥ 0.
    /// Needs 2C floats of dynamic shared memory.
    /// </summary>
    public static void VerticalRow(ArrayView<float> window, ArrayView<float> weight, ArrayView<float> bias, ArrayView<float> toHWeight,
        ArrayView<float> toHBias, ArrayView<float> classBias, ArrayView<float> toH, ArrayView<float> next, PixelCnnStepGeometry g)
    {
        var pre = SharedMemory.GetDynamic<float>();
        int c = g.Channels, c2 = 2 * c, width = g.Width, half = g.Taps / 2;
        for (int item = Grid.IdxX; item < g.Batch * width; item += Grid.DimX)
        {
            int b = item / width, j = item - b * width;
            for (int o = Group.IdxX; o < c2; o += Group.DimX)
            {
                float acc = 0f;
                if (g.Row >= 0)
                {
                    acc = bias[o];
                    for (int ci = 0; ci < c; ci++)
                        for (int s = 0; s < g.Slots; s++)
                        {
                            int r = g.Row - g.Slots + 1 + s;
                            if (r < 0) continue;
                            int rowBase = r % g.Slots * width;
                            int wBase = ((o * c + ci) * g.Slots + s) * g.Taps;
                            for (int t = 0; t < g.Taps; t++)
                            {
                                int x = j - half + t;
                                if (x >= 0 && x < width) acc += weight[wBase + t] * window[((rowBase + x) * g.Batch + b) * c + ci];
                            }
                        }
                }
                pre[o] = acc;
            }
            Group.Barrier();
            for (int o = Group.IdxX; o < c2; o += Group.DimX)
            {
                float acc = toHBias[o];
                for (int i = 0; i < c2; i++) acc += toHWeight[o * c2 + i] * pre[i];
                toH[(j * g.Batch + b) * c2 + o] = acc;
            }
            if (g.Next > 0 && g.Row >= 0)
                for (int o = Group.IdxX; o < c; o += Group.DimX)
                    next[((g.Row % g.Next * width + j) * g.Batch + b) * c + o] =
                        Gate(pre[o] + classBias[b * c2 + o], pre[c + o] + classBias[b * c2 + c + o]);
            Group.Barrier();
        }
    }

    /// <summary>
    /// For sample b at column Column of the current row, which <paramref name="input"/> [Slots,W,B,C] holds in ring slot
    /// <paramref name="slot"/> (a row buffer is Slots = 1, slot 0): with in(b,ci,x) = input[((slot·W + x)·B + b)·C + ci] (0 for x &lt; 0),
    /// a[o] = bias[o] + Σ_{ci,t} weight[o,ci,0,t]·in(b, ci, Column − Taps + 1 + t) (the first layer leaves out t = Taps − 1, mask A),
    /// then a[o] + toH[(Column·B + b)·2C + o] + classBias[b,o]; gated[c] = tanh(a[c])·σ(a[C+c]) (C floats of dynamic shared memory);
    /// output[(Column·B + b)·C + c] = (first ? 0 : in(b,c,Column)) + resBias[c] + Σ_i resWeight[c,i]·gated[i];
    /// skip[b,c] = (first ? 0 : skip[b,c]) + skipBias[c] + Σ_i skipWeight[c,i]·gated[i].
    /// </summary>
    public static void HorizontalPixel(ArrayView<float> input, ArrayView<float> weight, ArrayView<float> bias, ArrayView<float> toH,
        ArrayView<float> classBias, ArrayView<float> resWeight, ArrayView<float> resBias, ArrayView<float> skipWeight,
        ArrayView<float> skipBias, ArrayView<float> output, ArrayView<float> skip, PixelCnnStepGeometry g, int slot)
    {
        var gated = SharedMemory.GetDynamic<float>();
        int c = g.Channels, c2 = 2 * c, width = g.Width, col = g.Column;
        bool first = g.Next != 0;
        int taps = first ? g.Taps - 1 : g.Taps;
        for (int b = Grid.IdxX; b < g.Batch; b += Grid.DimX)
        {
            for (int o = Group.IdxX; o < c; o += Group.DimX)
            {
                float a = bias[o], gate = bias[c + o];
                for (int ci = 0; ci < c; ci++)
                {
                    for (int t = 0; t < taps; t++)
                    {
                        int x = col - g.Taps + 1 + t;
                        if (x < 0) continue;
                        float v = input[((slot * width + x) * g.Batch + b) * c + ci];
                        a += weight[(o * c + ci) * g.Taps + t] * v;
                        gate += weight[((c + o) * c + ci) * g.Taps + t] * v;
                    }
                }
                int pixel = (col * g.Batch + b) * c2;
                a = a + toH[pixel + o] + classBias[b * c2 + o];
                gate = gate + toH[pixel + c + o] + classBias[b * c2 + c + o];
                gated[o] = Gate(a, gate);
            }
            Group.Barrier();
            for (int o = Group.IdxX; o < c; o += Group.DimX)
            {
                float r = resBias[o], s = skipBias[o];
                for (int i = 0; i < c; i++)
                {
                    r += resWeight[o * c + i] * gated[i];
                    s += skipWeight[o * c + i] * gated[i];
                }
                output[(col * g.Batch + b) * c + o] = first ? r : input[((slot * width + col) * g.Batch + b) * c + o] + r;
                skip[b * c + o] = first ? s : skip[b * c + o] + s;
            }
            Group.Barrier();
        }
    }

    /// <summary>
    /// For sample b: hidden[m] = max(0, bias1[m] + Σ_c w1[m,c]·max(0, skip[b,c])) (<paramref name="hiddenSize"/> floats of
    /// dynamic shared memory); logits[b,k] = bias2[k] + Σ_m w2[k,m]·hidden[m].
    /// </summary>
    public static void Head(ArrayView<float> skip, ArrayView<float> w1, ArrayView<float> bias1, ArrayView<float> w2, ArrayView<float> bias2,
        ArrayView<float> logits, int batch, int channels, int hiddenSize, int classes)
    {
        var hidden = SharedMemory.GetDynamic<float>();
        for (int b = Grid.IdxX; b < batch; b += Grid.DimX)
        {
            for (int m = Group.IdxX; m < hiddenSize; m += Group.DimX)
            {
                float acc = bias1[m];
                for (int i = 0; i < channels; i++)
                {
                    float v = skip[b * channels + i];
                    acc += w1[m * channels + i] * (v > 0f ? v : 0f);
                }
                hidden[m] = acc > 0f ? acc : 0f;
            }
            Group.Barrier();
            for (int k = Group.IdxX; k < classes; k += Group.DimX)
            {
                float acc = bias2[k];
                for (int m = 0; m < hiddenSize; m++) acc += w2[k * hiddenSize + m] * hidden[m];
                logits[b * classes + k] = acc;
            }
            Group.Barrier();
        }
    }

    /// <summary>
    /// For sample b: code = the Gumbel-max draw from logits[b, :] (K = <paramref name="classes"/>) with the counters of position
    /// (Row, Column) of a [B, height, W] code map after <paramref name="offset"/> (see <see cref="RandomKernels.SampleCategorical"/>);
    /// codes[b,Row,Column] = code;
    /// window[((Row mod Slots)·W + Column)·Batch + b')·C + c] = embedding[code, c] (layer 0's input) for every window row
    /// b' = b + m·Samples &lt; Batch, b &lt; Samples (one work item each; codes [Samples, height, W]): with guidance
    /// the window holds the conditional rows and then the null-class rows of the same samples (Batch = 2·samples), and both get
    /// the one code drawn from the mixed logits.
    /// </summary>
    public static void SamplePixel(Index1D thread, int total, int stride, ArrayView<float> logits, ArrayView<int> codes, ArrayView<float> embedding,
        ArrayView<float> window, PixelCnnStepGeometry g, int height, int classes, float invTemperature, int greedy, uint key0, uint key1, ulong offset)
    {
        for (long item = thread; item < total; item += stride)
        {
            int b = (int)item;
            int pos = g.Row * g.Width + g.Column;
            ulong counter = offset + (ulong)(((long)b * height * g.Width + pos) * classes);
            int code = RandomKernels.GumbelArgmax(logits, b * classes, 1, classes, invTemperature, greedy, counter, key0, key1);
            codes[b * height * g.Width + pos] = code;
            for (int row = b; row < g.Batch; row += g.Samples)
                for (int ci = 0; ci < g.Channels; ci++)
                    window[((g.Row % g.Slots * g.Width + g.Column) * g.Batch + row) * g.Channels + ci] = embedding[code * g.Channels + ci];
        }
    }

    static float Gate(float a, float b) => ElementwiseKernels.StableTanh(a) * ElementwiseKernels.StableSigmoid(b);
}
