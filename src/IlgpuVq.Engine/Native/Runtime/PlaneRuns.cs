namespace IlgpuVq.Engine.Native;

/// <summary>One run of a <see cref="PlaneRuns.Split"/>: elements [start, start + length) of plane <paramref name="plane"/>,
/// beginning <paramref name="offset"/> elements into it.</summary>
public delegate void PlaneRun(long start, long plane, long offset, long length);

/// <summary>
/// Runs over contiguous [planes, inner] data (NCHW planes with inner = H·W, table rows with inner = D, …):
/// <see cref="Split"/> cuts a block of elements at plane boundaries, so each native kernel handles one plane's contiguous
/// run at a time (16 lanes, or a block copy) with that plane's index computed once. Per-plane broadcasts use it with
/// element i in plane i / inner and channel (i / inner) mod channels (channels = int.MaxValue when every plane has its
/// own value); for inner = 1 the runs are of consecutive channels and use the matching slice of the value vector.
/// </summary>
public static unsafe class PlaneRuns
{
    /// <summary>run(i, plane, offset, length) for the runs that cut elements [start, end) at multiples of <paramref name="inner"/>.</summary>
    public static void Split(long start, long end, long inner, PlaneRun run)
    {
        for (long i = start; i < end;)
        {
            long plane = i / inner, offset = i - plane * inner, length = Math.Min(end - i, inner - offset);
            run(i, plane, offset, length);
            i += length;
        }
    }

    /// <summary>y[i] = x[i] + bias[(i / inner) mod channels] for i &lt; n.</summary>
    public static void Add(float* x, float* bias, int channels, int inner, float* y, long n) =>
        NativeParallel.ForBlocks(n, SimdMap.Block, (start, end) =>
        {
            if (inner == 1)
                Split(start, end, channels, (i, _, c0, length) => SimdMap.BinaryRange(x + i, bias + c0, y + i, 0, length, new Sum()));
            else
                Split(start, end, inner, (i, plane, _, length) => SimdMap.UnaryRange(x, y, i, i + length, new Shifted(bias[plane % channels])));
        });

    /// <summary>y[i] = values[(i / inner) mod channels] · scale for i &lt; n.</summary>
    public static void Broadcast(float* values, int channels, int inner, float scale, float* y, long n) =>
        NativeParallel.ForBlocks(n, SimdMap.Block, (start, end) =>
        {
            if (inner == 1)
                Split(start, end, channels, (i, _, c0, length) => SimdMap.UnaryRange(values + c0, y + i, 0, length, new Scaled(scale)));
            else
                Split(start, end, inner, (i, plane, _, length) => SimdMap.UnaryRange(y, y, i, i + length, new Constant(values[plane % channels] * scale)));
        });
}
