using IlgpuVq.Engine.Memory;
using IlgpuVq.Engine.Ops;
using IlgpuVq.Engine.Tensors;

namespace IlgpuVq.Models.Prior;

/// <summary>
/// Cached incremental sampling (Ramachandran, Paine et al. 2017; ops: <see cref="PixelCnnStep"/>). A layer's vertical stack at
/// row r sees input rows ≤ r and reaches the horizontal stack one row lower, so when row r − 1 of the codes is complete each
/// layer computes row r − 1 of its vertical stack from a window of its last k/2+1 input rows, keeps the v_to_h of it, and writes
/// its gated row into the next layer's window. Then, per column of row r, each layer computes its horizontal stack at that one
/// position from the last k/2+1 inputs of the row and the cached v_to_h value, the head maps the summed skips to the logits,
/// and the code is drawn (the same noise as <see cref="NaiveSampler"/>) and embedded into layer 0's window. Per position: one
/// launch per layer, the head and the draw; per row: one launch per layer. Class biases are looked up once. Guided
/// (<see cref="PriorSampling"/>): the state holds 2B rows, the samples' classes and then the null class; each position's logits
/// [2B,K] are mixed by <see cref="Guidance.Mix"/> into [B,K], and the one code drawn per sample goes into both of its rows.
/// </summary>
public static class CachedSampler
{
    /// <summary>Fills <paramref name="codes"/> [B,H,W] (see <see cref="PriorSampling"/>); <paramref name="labels"/> holds 2B labels
    /// when <paramref name="guidance"/> ≠ 1; <paramref name="positionLogits"/>, when given, sees the logits [B,K] (mixed, when
    /// guided) of every position (row, column) before its draw (tests compare them with the naive forward).</summary>
    public static void Run(GatedPixelCnn prior, Tensor? labels, Tensor codes, float temperature, float guidance, ulong seed, ulong offset,
        Func<int, bool>? rowDone, Action<int, int, Tensor>? positionLogits = null)
    {
        var device = codes.Device;
        bool guided = PriorSampling.Guided(guidance);
        int batch = (guided ? 2 : 1) * codes.Shape[0], height = codes.Shape[1], width = codes.Shape[2];
        int channels = prior.Config.Channels, classes = prior.Config.NumCodes;
        using var scope = new TensorScope();
        var layers = prior.Layers;
        var weights = layers.Select(l => l.StepWeights).ToArray();
        var windows = weights.Select(w => Tensor.Zeros(device, w.Slots, width, batch, channels)).ToArray();
        var rows = weights.Select(_ => Tensor.Zeros(device, 1, width, batch, channels)).ToArray();
        var toHorizontal = weights.Select(_ => Tensor.Empty(device, width, batch, 2 * channels)).ToArray();
        var (biasV, biasH) = ClassBiases(layers, labels, batch, channels, device);
        var skip = Tensor.Empty(device, batch, channels);
        var logits = Tensor.Empty(device, batch, classes);
        var (hidden, output) = prior.Head;
        int last = weights.Length - 1;
        for (int l = 0; l <= last; l++) PixelCnnStep.VerticalRow(weights[l], windows[l], -1, biasV[l], toHorizontal[l], null);
        for (int r = 0; r < height; r++)
        {
            if (r > 0)
                for (int l = 0; l <= last; l++)
                    PixelCnnStep.VerticalRow(weights[l], windows[l], r - 1, biasV[l], toHorizontal[l], l < last ? windows[l + 1] : null);
            for (int c = 0; c < width; c++)
            {
                for (int l = 0; l <= last; l++)
                {
                    // Layer 0's horizontal input is the code embedding of the current row, kept in its window; the others read
                    // the row the layer below wrote. The last layer's output feeds nothing but is written like the others.
                    var input = l == 0 ? windows[0] : rows[l - 1];
                    int slot = l == 0 ? r % weights[0].Slots : 0;
                    PixelCnnStep.HorizontalPixel(weights[l], input, slot, c, toHorizontal[l], biasH[l], rows[l], skip);
                }
                PixelCnnStep.Head(skip, hidden.Weight, hidden.Bias!, output.Weight, output.Bias!, logits);
                using var position = new TensorScope();
                var drawn = guided ? Guidance.Mix(logits, guidance) : logits;
                positionLogits?.Invoke(r, c, drawn);
                PixelCnnStep.SamplePixel(drawn, r, c, temperature, seed, offset, codes, prior.CodeEmbedding, windows[0]);
            }
            if (rowDone != null && !rowDone(r + 1)) return;
        }
    }

    /// <summary>Each layer's class biases [B,2C] of the vertical and horizontal gates (zeros when unconditional), looked up once.</summary>
    static (Tensor[] Vertical, Tensor[] Horizontal) ClassBiases(IReadOnlyList<GatedLayer> layers, Tensor? labels, int batch, int channels,
        Engine.Devices.ComputeDevice device)
    {
        Tensor Lookup(Tensor? table) => labels != null && table != null ? Embedding.Lookup(table, labels) : Tensor.Zeros(device, batch, 2 * channels);
        return (layers.Select(l => Lookup(l.ClassBiases.Vertical)).ToArray(), layers.Select(l => Lookup(l.ClassBiases.Horizontal)).ToArray());
    }
}
