namespace IlgpuVq.Checks.Reference;

/// <summary>
/// Double-precision specification of the cached-sampling step kernels (engine: <c>IlgpuVq.Engine.Ops.PixelCnnStep</c>), with the
/// pixel-major state layouts: windows [S,W,B,C] (row r in slot r mod S), cached v_to_h rows [W,B,2C], class biases and skip
/// sums [B,2C] / [B,C]; NCHW weights.
/// </summary>
public static class PixelCnnStepReference
{
    static double Gate(double a, double b) => Math.Tanh(a) / (1 + Math.Exp(-b));

    /// <summary>
    /// Row <paramref name="row"/> of the vertical stack of a window [S,W,B,C] with weight [2C,C,S,k]: pre = bias + the (S×k)
    /// convolution over input rows row−S+1 … row (rows &lt; 0 and columns outside read 0; pre = 0 for row −1), then
    /// concat(toH [W,B,2C] = toHBias + toHW·pre, gated [W,B,C] = tanh(pre[c] + cb[b,c])·σ(pre[C+c] + cb[b,C+c])).
    /// </summary>
    public static double[] VerticalRow(double[] window, double[] weight, double[] bias, double[] toHW, double[] toHB, double[] cb,
        int slots, int width, int batch, int channels, int kernel, int row)
    {
        int c2 = 2 * channels, half = kernel / 2;
        var toH = new double[width * batch * c2];
        var gated = new double[width * batch * channels];
        var pre = new double[c2];
        for (int j = 0; j < width; j++)
            for (int b = 0; b < batch; b++)
            {
                for (int o = 0; o < c2; o++)
                {
                    double acc = row < 0 ? 0 : bias[o];
                    for (int s = 0; s < slots && row >= 0; s++)
                    {
                        int r = row - slots + 1 + s;
                        if (r < 0) continue;
                        for (int ci = 0; ci < channels; ci++)
                            for (int t = 0; t < kernel; t++)
                            {
                                int x = j - half + t;
                                if (x < 0 || x >= width) continue;
                                acc += weight[((o * channels + ci) * slots + s) * kernel + t] * window[(((r % slots) * width + x) * batch + b) * channels + ci];
                            }
                    }
                    pre[o] = acc;
                }
                for (int o = 0; o < c2; o++)
                {
                    double acc = toHB[o];
                    for (int i = 0; i < c2; i++) acc += toHW[o * c2 + i] * pre[i];
                    toH[(j * batch + b) * c2 + o] = acc;
                }
                for (int o = 0; o < channels; o++)
                    gated[(j * batch + b) * channels + o] = Gate(pre[o] + cb[b * c2 + o], pre[channels + o] + cb[b * c2 + channels + o]);
            }
        return [.. toH, .. gated];
    }

    /// <summary>
    /// The horizontal stack at column <paramref name="col"/> of the row in slot <paramref name="slot"/> of input [S,W,B,C], weight
    /// [2C,C,1,taps] (the first layer leaves out the last tap and has no residual input): concat(output [B,C], skip [B,C]) with
    /// a = bias + conv + toH[col] + cb, g = tanh·σ, output = (first ? 0 : in) + resB + resW·g, skip = (first ? 0 : skipIn) + skipB + skipW·g.
    /// </summary>
    public static double[] HorizontalPixel(double[] input, double[] weight, double[] bias, double[] toH, double[] cb, double[] resW, double[] resB,
        double[] skipW, double[] skipB, double[] skipIn, int slots, int width, int batch, int channels, int taps, int slot, int col, bool first)
    {
        int c = channels, c2 = 2 * c;
        var output = new double[batch * c];
        var skip = new double[batch * c];
        var a = new double[c2];
        var g = new double[c];
        double In(int b, int ci, int x) => x < 0 ? 0 : input[((slot * width + x) * batch + b) * c + ci];
        for (int b = 0; b < batch; b++)
        {
            for (int o = 0; o < c2; o++)
            {
                double acc = bias[o];
                for (int ci = 0; ci < c; ci++)
                    for (int t = 0; t < (first ? taps - 1 : taps); t++) acc += weight[(o * c + ci) * taps + t] * In(b, ci, col - taps + 1 + t);
                a[o] = acc + toH[(col * batch + b) * c2 + o] + cb[b * c2 + o];
            }
            for (int o = 0; o < c; o++) g[o] = Gate(a[o], a[c + o]);
            for (int o = 0; o < c; o++)
            {
                double r = resB[o], s = skipB[o];
                for (int i = 0; i < c; i++)
                {
                    r += resW[o * c + i] * g[i];
                    s += skipW[o * c + i] * g[i];
                }
                output[b * c + o] = (first ? 0 : In(b, o, col)) + r;
                skip[b * c + o] = (first ? 0 : skipIn[b * c + o]) + s;
            }
        }
        return [.. output, .. skip];
    }

    /// <summary>logits [B,K] = w2·ReLU(w1·ReLU(skip) + b1) + b2 for skip [B,C], w1 [M,C], w2 [K,M].</summary>
    public static double[] Head(double[] skip, double[] w1, double[] b1, double[] w2, double[] b2, int batch, int channels, int hidden, int classes)
    {
        var logits = new double[batch * classes];
        var h = new double[hidden];
        for (int b = 0; b < batch; b++)
        {
            for (int m = 0; m < hidden; m++)
            {
                double acc = b1[m];
                for (int i = 0; i < channels; i++) acc += w1[m * channels + i] * Math.Max(0, skip[b * channels + i]);
                h[m] = Math.Max(0, acc);
            }
            for (int k = 0; k < classes; k++)
            {
                double acc = b2[k];
                for (int m = 0; m < hidden; m++) acc += w2[k * hidden + m] * h[m];
                logits[b * classes + k] = acc;
            }
        }
        return logits;
    }
}
