namespace IlgpuVq.Engine.Native;

/// <summary>
/// y[i] = x[i] + bias[(i / inner) mod channels] over contiguous x, y (the per-channel bias of NCHW or [N,C] with
/// inner = 1, and the per-sample bias of BatchBias with channels = B·C): runs of one bias value are added 16 lanes at a
/// time; for inner = 1, runs of consecutive channels add the matching slice of the bias vector.
/// </summary>
public static unsafe class PlaneBias
{
    /// <summary>y[i] = x[i] + bias[(i / inner) mod channels] for i &lt; n.</summary>
    public static void Add(float* x, float* bias, int channels, int inner, float* y, long n) =>
        NativeParallel.ForBlocks(n, SimdMap.Block, (start, end) =>
        {
            if (inner == 1) AddChannelRows(x, bias, channels, y, start, end);
            else AddPlanes(x, bias, channels, inner, y, start, end);
        });

    /// <summary>Elements [start, end) split at plane boundaries; each run adds its plane's one bias value.</summary>
    static void AddPlanes(float* x, float* bias, int channels, int inner, float* y, long start, long end)
    {
        for (long i = start; i < end;)
        {
            long plane = i / inner;
            long runEnd = Math.Min(end, (plane + 1) * inner);
            SimdMap.UnaryRange(x, y, i, runEnd, new Shifted(bias[plane % channels]));
            i = runEnd;
        }
    }

    /// <summary>Elements [start, end) of [rows, channels] split at row boundaries; a run of channels [c0, c1) adds bias[c0..c1).</summary>
    static void AddChannelRows(float* x, float* bias, int channels, float* y, long start, long end)
    {
        for (long i = start; i < end;)
        {
            long c0 = i % channels;
            long runEnd = Math.Min(end, i - c0 + channels);
            SimdMap.BinaryRange(x + i, bias + c0, y + i, 0, runEnd - i, new Sum());
            i = runEnd;
        }
    }
}
