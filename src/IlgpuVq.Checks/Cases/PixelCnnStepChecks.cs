using IlgpuVq.Checks.Reference;
using IlgpuVq.Engine.Ops;
using IlgpuVq.Engine.Tensors;

namespace IlgpuVq.Checks.Cases;

/// <summary>
/// Checks of <see cref="PixelCnnStep"/> against <see cref="PixelCnnStepReference"/> (forward only: inference kernels): 3×3, 5×5
/// and 7×7 layers, rows before the window is full, row −1, the first columns (zero padding), odd batch, width and channels.
/// </summary>
public sealed class PixelCnnStepChecks : IOpChecks
{
    static readonly Tolerance Float = new(1e-5, 1e-4);

    static CheckInput U(string name, int seed, params int[] shape) => Inputs.Uniform(name, seed, -1, 1, shape);

    /// <summary>The layer weights from check inputs 1..10 (vertical, its bias, v_to_h, its bias, horizontal, its bias, residual,
    /// its bias, skip, its bias).</summary>
    static GatedLayerWeights Layer(Tensor[] t, int first, bool isFirst) =>
        new(t[first], t[first + 1], t[first + 2], t[first + 3], t[first + 4], t[first + 5], t[first + 6], t[first + 7], t[first + 8], t[first + 9], isFirst);

    static CheckInput[] LayerInputs(int c, int slots, int k) =>
    [
        U("v_weight", 2, 2 * c, c, slots, k), U("v_bias", 3, 2 * c), U("v_to_h", 4, 2 * c, 2 * c, 1, 1), U("v_to_h_bias", 5, 2 * c),
        U("h_weight", 6, 2 * c, c, 1, slots), U("h_bias", 7, 2 * c), U("res_weight", 8, c, c, 1, 1), U("res_bias", 9, c),
        U("skip_weight", 10, c, c, 1, 1), U("skip_bias", 11, c),
    ];

    public IEnumerable<GradCase> Cases()
    {
        foreach (var (b, w, c, k, row) in new[] { (1, 1, 1, 3, 0), (3, 5, 3, 3, 2), (2, 7, 4, 7, 1), (2, 4, 5, 7, 5), (3, 6, 2, 5, -1), (1, 3, 3, 5, 4) })
        {
            int slots = k / 2 + 1, nextSlots = 2;
            yield return new GradCase
            {
                Op = "pixelcnn_vertical_row", Shapes = $"B{b} W{w} C{c} k{k} row {row}", ForwardTolerance = Float, CheckGradients = false,
                Inputs = [U("window", 1, slots, w, b, c), .. LayerInputs(c, slots, k), U("class_bias", 12, b, 2 * c)],
                // Row −1 writes only the v_to_h row (its bias): the gated part is compared from row 0 on.
                Reference = x => PixelCnnStepReference.VerticalRow(x[0], x[1], x[2], x[3], x[4], x[11], slots, w, b, c, k, row)[..(row < 0 ? w * b * 2 * c : ^0)],
                Engine = t =>
                {
                    var toH = Tensor.Empty(t[0].Device, w, b, 2 * c);
                    var next = Tensor.Zeros(t[0].Device, nextSlots, w, b, c);
                    PixelCnnStep.VerticalRow(Layer(t, 1, false), t[0], row, t[11], toH, next);
                    float[] gated = row < 0 ? [] : next.ToArray().AsSpan(row % nextSlots * w * b * c, w * b * c).ToArray();
                    return Tensor.FromArray(t[0].Device, [.. toH.ToArray(), .. gated], toH.Length + gated.Length);
                },
            };
        }
        foreach (var (b, w, c, k, col, first, slotCount) in new[]
                 { (1, 1, 1, 3, 0, false, 1), (3, 5, 3, 3, 4, false, 1), (2, 7, 4, 7, 2, true, 4), (2, 6, 5, 7, 5, true, 4), (3, 4, 2, 5, 3, false, 3) })
        {
            int taps = k / 2 + 1, slot = slotCount - 1;
            yield return new GradCase
            {
                Op = "pixelcnn_horizontal_pixel", Shapes = $"B{b} W{w} C{c} k{k} column {col}{(first ? " mask A" : "")}", ForwardTolerance = Float, CheckGradients = false,
                Inputs = [U("input", 1, slotCount, w, b, c), .. LayerInputs(c, taps, k), U("class_bias", 12, b, 2 * c), U("to_h", 13, w, b, 2 * c), U("skip", 14, b, c)],
                Reference = x => PixelCnnStepReference.HorizontalPixel(x[0], x[5], x[6], x[12], x[11], x[7], x[8], x[9], x[10], x[13],
                    slotCount, w, b, c, taps, slot, col, first),
                Engine = t =>
                {
                    var output = Tensor.Zeros(t[0].Device, 1, w, b, c);
                    var skip = t[13].Clone();
                    PixelCnnStep.HorizontalPixel(Layer(t, 1, first), t[0], slot, col, t[12], t[11], output, skip);
                    var column = output.ToArray().AsSpan(col * b * c, b * c).ToArray();
                    return Tensor.FromArray(t[0].Device, [.. column, .. skip.ToArray()], 2 * b * c);
                },
            };
        }
        foreach (var (b, c, m, k) in new[] { (1, 1, 1, 2), (3, 5, 7, 9), (2, 16, 33, 17) })
            yield return new GradCase
            {
                Op = "pixelcnn_head", Shapes = $"B{b} C{c} hidden {m} K{k}", ForwardTolerance = Float, CheckGradients = false,
                Inputs = [U("skip", 1, b, c), U("w1", 2, m, c, 1, 1), U("b1", 3, m), U("w2", 4, k, m, 1, 1), U("b2", 5, k)],
                Reference = x => PixelCnnStepReference.Head(x[0], x[1], x[2], x[3], x[4], b, c, m, k),
                Engine = t =>
                {
                    var logits = Tensor.Empty(t[0].Device, b, k);
                    PixelCnnStep.Head(t[0], t[1], t[2], t[3], t[4], logits);
                    return logits;
                },
            };
    }
}
