using ILGPU;
using IlgpuVq.Engine.Devices;
using IlgpuVq.Engine.Memory;
using IlgpuVq.Engine.Ops;
using static IlgpuVq.Tests.Native.NativeTestKit;
using V = ILGPU.ArrayView<float>;

namespace IlgpuVq.Tests.Native;

/// <summary>The native row and column shifts against their kernel bodies on the host: bit-identical for every shift
/// (including beyond the plane), odd plane sizes, and 1 or 2 workers.</summary>
public class NativeShiftTests
{
    static readonly Index1D First = new(0);

    /// <summary>The kernel and its native on random input and an all-NaN output (an unwritten element fails): equal bits.</summary>
    static void Compare<TDelegate>(KernelSlot<TDelegate> slot, int n, Action<TDelegate, V, V> launch) where TDelegate : Delegate =>
        BitIdenticalOneToOne(slot, Random(n, n), Enumerable.Repeat(float.NaN, n).ToArray(), launch);

    [Theory]
    [InlineData(1, 1, 1)]
    [InlineData(3, 5, 7)]
    [InlineData(6, 16, 16)]
    [InlineData(300, 3, 9)]
    [InlineData(40, 9, 8)] // 360 rows: the 256-row blocks cut a plane in the middle
    public void ShiftsAreBitIdentical(int planes, int height, int width)
    {
        int n = planes * height * width;
        foreach (int shift in new[] { -height - 1, -2, -1, 0, 1, 2, height, height + 3 })
            Compare(Shift.RowsKernel, n,
                (k, x, y) => k(First, n, 1, x, y, height, width, shift));
        foreach (int shift in new[] { -width - 1, -2, -1, 0, 1, 2, width, width + 3 })
            Compare(Shift.ColsKernel, n,
                (k, x, y) => k(First, n, 1, x, y, width, shift));
    }
}
