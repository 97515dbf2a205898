namespace IlgpuVq.Engine.Native;

/// <summary>
/// Per-plane broadcasts over contiguous [outer, channels, inner] data, where element i belongs to plane i / inner and
/// channel (i / inner) mod channels (NCHW with inner = H·W, [N,C] with inner = 1; channels = int.MaxValue when every
/// plane has its own value): runs of one plane are processed 16 lanes at a time with that plane's value; for inner = 1,
/// runs of consecutive channels use the matching slice of the value vector.
/// </summary>
public static unsafe class PlaneRuns
{
    /// <summary>y[i] = x[i] + bias[(i / inner) mod channels] for i &lt; n.</summary>
    public static void Add(float* x, float* bias, int channels, int inner, float* y, long n) =>
        NativeParallel.ForBlocks(n, SimdMap.Block, (start, end) =>
        {
            if (inner == 1) AddChannelRows(x, bias, channels, y, start, end);
            else AddPlanes(x, bias, channels, inner, y, start, end);
        });

    /// <summary>y[i] = values[(i / inner) mod channels] · scale for i &lt; n.</summary>
    public static void Broadcast(float* values, int channels, int inner, float scale, float* y, long n) =>
        NativeParallel.ForBlocks(n, SimdMap.Block, (start, end) =>
        {
            for (long i = start; i < end;)
            {
                long plane = i / inner;
                long runEnd = inner == 1 ? Math.Min(end, i - plane % channels + channels) : Math.Min(end, (plane + 1) * inner);
                if (inner == 1) SimdMap.UnaryRange(values + plane % channels, y + i, 0, runEnd - i, new Scaled(scale));
                else SimdMap.UnaryRange(y, y, i, runEnd, new Constant(values[plane % channels] * scale));
                i = runEnd;
            }
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
