using ILGPU;
using IlgpuVq.Engine.Devices;
using IlgpuVq.Engine.Memory;
using IlgpuVq.Engine.Native;
using IlgpuVq.Engine.Tensors;

namespace IlgpuVq.Tests.Native;

/// <summary>
/// Shared pieces of the native-kernel tests: the native backend's device, random data, the registered native of a
/// kernel (looked up in <see cref="NativeKernelTable"/>, so registration and signature are tested too), bitwise
/// comparison, and running with a given worker count.
/// </summary>
static class NativeTestKit
{
    /// <summary>Odd sizes: single element, below one vector, just above one, a few blocks' tails, many parallel blocks.</summary>
    public static readonly int[] Sizes = [1, 7, 17, 1000, 100003];

    public static ComputeDevice Device => DeviceCatalog.Open("cpu");

    /// <summary>Uniform floats in [lo, hi) from a seeded generator, with exact zeros sprinkled in (ReLU's edge case).</summary>
    public static float[] Random(int seed, int n, float lo = -2f, float hi = 2f)
    {
        var rng = new Random(seed);
        var x = new float[n];
        for (int i = 0; i < n; i++) x[i] = rng.Next(17) == 0 ? 0f : lo + (hi - lo) * rng.NextSingle();
        return x;
    }

    public static Tensor T(float[] data) => Tensor.FromArray(Device, data, data.Length);

    public static Tensor Ti(int[] data) => Tensor.FromIntArray(Device, data, data.Length);

    /// <summary>The native implementation registered for <paramref name="slot"/>'s kernel (fails if there is none).</summary>
    public static TDelegate NativeOf<TDelegate>(KernelSlot<TDelegate> slot) where TDelegate : Delegate =>
        Assert.IsType<TDelegate>(NativeKernelTable.Find(slot.Kernel), exactMatch: false);

    /// <summary>The registered native of <paramref name="slot"/>'s grid-stride kernel, or (<paramref name="native"/> false) its kernel body.</summary>
    public static TDelegate Pick<TDelegate>(KernelSlot<TDelegate> slot, bool native) where TDelegate : Delegate =>
        native ? NativeOf(slot) : Assert.IsType<TDelegate>(slot.Body, exactMatch: false);

    /// <summary>Asserts equal bit patterns (so −0 ≠ +0 and NaNs must match).</summary>
    public static void BitEqual(float[] expected, float[] actual)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (int i = 0; i < expected.Length; i++)
            if (BitConverter.SingleToInt32Bits(expected[i]) != BitConverter.SingleToInt32Bits(actual[i]))
                Assert.Fail($"element {i} of {expected.Length}: expected {expected[i]:R}, got {actual[i]:R}");
    }

    /// <summary>
    /// Runs <paramref name="launch"/>(kernel, x, y) with the kernel body and with its native (1 and 2 workers), each on fresh
    /// copies of <paramref name="x"/> and of the initial output <paramref name="y"/>; asserts equal bits in y.
    /// </summary>
    public static void BitIdenticalOneToOne<TDelegate>(KernelSlot<TDelegate> slot, float[] x, float[] y, Action<TDelegate, ArrayView<float>, ArrayView<float>> launch)
        where TDelegate : Delegate
    {
        float[] Run(TDelegate k)
        {
            using var scope = new TensorScope();
            var (tx, ty) = (T(x), T(y));
            launch(k, tx.View, ty.View);
            return ty.ToArray();
        }
        var expected = Run(Pick(slot, native: false));
        foreach (int workers in new[] { 1, 2 }) BitEqual(expected, WithWorkers(workers, () => Run(NativeOf(slot))));
    }

    /// <summary>|expected − actual| ≤ atol + rtol·|expected| for every element (and the same NaN/∞ pattern).</summary>
    public static void Close(float[] expected, float[] actual, float atol, float rtol)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (int i = 0; i < expected.Length; i++)
        {
            bool ok = float.IsFinite(expected[i])
                ? Math.Abs(expected[i] - actual[i]) <= atol + rtol * Math.Abs(expected[i])
                : BitConverter.SingleToInt32Bits(expected[i]) == BitConverter.SingleToInt32Bits(actual[i]);
            if (!ok) Assert.Fail($"element {i} of {expected.Length}: expected {expected[i]:R}, got {actual[i]:R} (atol {atol}, rtol {rtol})");
        }
    }

    /// <summary>Runs <paramref name="body"/> with <see cref="NativeParallel.Workers"/> = <paramref name="workers"/>, restoring it after.</summary>
    public static T WithWorkers<T>(int workers, Func<T> body)
    {
        int saved = NativeParallel.Workers;
        try
        {
            NativeParallel.Workers = workers;
            return body();
        }
        finally
        {
            NativeParallel.Workers = saved;
        }
    }
}
