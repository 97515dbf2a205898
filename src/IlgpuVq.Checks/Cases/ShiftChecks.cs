using IlgpuVq.Checks.Reference;
using IlgpuVq.Engine.Ops;

namespace IlgpuVq.Checks.Cases;

/// <summary>Checks of <see cref="Shift"/> against <see cref="ShiftReference"/>: amounts 0, 1, 2 and beyond the extent.</summary>
public sealed class ShiftChecks : IOpChecks
{
    static readonly Tolerance Exact = new(1e-6, 1e-6);

    public IEnumerable<GradCase> Cases()
    {
        var shapes = new (int N, int C, int H, int W, int Amount)[]
        {
            (1, 1, 1, 1, 1), (2, 3, 4, 5, 1), (1, 5, 7, 3, 2), (1, 13, 3, 3, 0), (2, 1, 3, 4, 5), (1, 3, 6, 1, 1),
        };
        foreach (var (n, c, h, w, a) in shapes)
        {
            var name = $"[{n},{c},{h},{w}] by {a}";
            yield return new GradCase
            {
                Op = "shift_down", Shapes = name, ForwardTolerance = Exact,
                Inputs = [Inputs.Uniform("x", 50, -2, 2, n, c, h, w)],
                Reference = x => ShiftReference.Down(x[0], n, c, h, w, a),
                Engine = t => Shift.Down(t[0], a),
            };
            yield return new GradCase
            {
                Op = "shift_right", Shapes = name, ForwardTolerance = Exact,
                Inputs = [Inputs.Uniform("x", 51, -2, 2, n, c, h, w)],
                Reference = x => ShiftReference.Right(x[0], n, c, h, w, a),
                Engine = t => Shift.Right(t[0], a),
            };
        }
    }
}
