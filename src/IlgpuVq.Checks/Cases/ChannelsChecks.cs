using IlgpuVq.Checks.Reference;
using IlgpuVq.Engine.Ops;

namespace IlgpuVq.Checks.Cases;

/// <summary>Checks of <see cref="Channels"/> (concat, slice, split, NCHW⇄NHWC) against <see cref="ChannelsReference"/>.
/// These ops only move data, so forward tolerances are tight.</summary>
public sealed class ChannelsChecks : IOpChecks
{
    static readonly Tolerance Exact = new(1e-6, 1e-6);

    public IEnumerable<GradCase> Cases()
    {
        // (N, channel counts, H, W); H = W = 0 means a rank-2 [N,C] tensor.
        var concats = new (int N, int[] Cs, int H, int W)[]
        {
            (1, [1, 1], 1, 1), (2, [3, 5], 4, 3), (1, [13, 1, 3], 5, 7), (3, [5, 13], 0, 0), (2, [1], 3, 3),
        };
        foreach (var (n, cs, h, w) in concats)
        {
            var spatial = h == 0 ? Array.Empty<int>() : new[] { h, w };
            int inner = h == 0 ? 1 : h * w;
            var inputs = cs.Select((c, k) => Inputs.Uniform($"x{k}", 10 + k, -2, 2, [n, c, .. spatial])).ToArray();
            yield return new GradCase
            {
                Op = "concat", Shapes = $"N{n} C[{string.Join(",", cs)}] {(h == 0 ? "NC" : $"{h}x{w}")}",
                Inputs = inputs, ForwardTolerance = Exact,
                Reference = x => ChannelsReference.Concat(x, n, cs, inner),
                Engine = t => Channels.Concat(t),
            };
        }

        var slices = new (int N, int C, int H, int W, int Start, int Count)[]
        {
            (1, 1, 1, 1, 0, 1), (2, 5, 3, 4, 1, 3), (1, 13, 5, 3, 12, 1), (3, 13, 0, 0, 4, 7), (2, 3, 2, 5, 0, 2),
        };
        foreach (var (n, c, h, w, start, count) in slices)
        {
            int[] shape = h == 0 ? [n, c] : [n, c, h, w];
            int inner = h == 0 ? 1 : h * w;
            yield return new GradCase
            {
                Op = "slice", Shapes = $"{Engine.Tensors.Shape.Format(shape)} [{start},{start + count})",
                Inputs = [Inputs.Uniform("x", 20, -2, 2, shape)], ForwardTolerance = Exact,
                Reference = x => ChannelsReference.Slice(x[0], n, c, inner, start, count),
                Engine = t => Channels.Slice(t[0], start, count),
            };
        }

        // Split: check both halves through a concat of (b, a), which must swap the channel blocks.
        foreach (var (n, c, h, w, c1) in new[] { (1, 5, 3, 3, 2), (2, 13, 2, 5, 12), (1, 3, 1, 1, 0) })
        {
            int inner = h * w;
            yield return new GradCase
            {
                Op = "split", Shapes = $"[{n},{c},{h},{w}] at {c1}",
                Inputs = [Inputs.Uniform("x", 30, -2, 2, n, c, h, w)], ForwardTolerance = Exact,
                Reference = x => ChannelsReference.Concat(
                    [ChannelsReference.Slice(x[0], n, c, inner, c1, c - c1), ChannelsReference.Slice(x[0], n, c, inner, 0, c1)],
                    n, [c - c1, c1], inner),
                Engine = t =>
                {
                    var (a, b) = Channels.Split(t[0], c1);
                    return Channels.Concat(b, a);
                },
            };
        }

        foreach (var (n, c, h, w) in new[] { (1, 1, 1, 1), (2, 3, 4, 5), (1, 13, 3, 7), (3, 5, 1, 6) })
        {
            yield return new GradCase
            {
                Op = "to_nhwc", Shapes = $"[{n},{c},{h},{w}]",
                Inputs = [Inputs.Uniform("x", 40, -2, 2, n, c, h, w)], ForwardTolerance = Exact,
                Reference = x => ChannelsReference.ToNhwc(x[0], n, c, h, w),
                Engine = t => Channels.ToNhwc(t[0]),
            };
            yield return new GradCase
            {
                Op = "to_nchw", Shapes = $"[{n},{h},{w},{c}]",
                Inputs = [Inputs.Uniform("x", 41, -2, 2, n, h, w, c)], ForwardTolerance = Exact,
                Reference = x => ChannelsReference.ToNchw(x[0], n, h, w, c),
                Engine = t => Channels.ToNchw(t[0]),
            };
        }
    }
}
