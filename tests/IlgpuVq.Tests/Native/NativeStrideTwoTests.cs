using IlgpuVq.Engine.Native;

namespace IlgpuVq.Tests.Native;

/// <summary>
/// The stride-2 row helpers of im2col and its adjoint (<see cref="NativeVector.GatherEven"/>, <see cref="NativeVector.AddToEven"/>)
/// against their scalar definitions, for every count from 0 to 40 (the 512-bit, 256-bit and shifted-tail paths and the
/// scalar remainder), bit for bit, with guard floats on both sides that must not be read into the result or written.
/// CI runs this file again with AVX-512 off and with AVX2 off.
/// </summary>
public unsafe class NativeStrideTwoTests
{
    const int Guard = 16;
    public static IEnumerable<object[]> Counts => Enumerable.Range(0, 41).Select(n => new object[] { n });

    static float[] Values(int length, int seed)
    {
        var rng = new Random(seed);
        var v = new float[length];
        for (int i = 0; i < length; i++) v[i] = (float)(rng.NextDouble() * 2 - 1);
        return v;
    }

    [Theory, MemberData(nameof(Counts))]
    public void GatherEvenReadsEvenElementsOnly(int count)
    {
        // src holds 2·count − 1 floats between guards of NaN: a read past src[2·(count − 1)] would put a NaN into dst.
        int span = Math.Max(0, 2 * count - 1);
        var src = Enumerable.Repeat(float.NaN, span + 2 * Guard).ToArray();
        Values(span, count).CopyTo(src, Guard);
        var dst = Enumerable.Repeat(-7f, count + 2 * Guard).ToArray();
        fixed (float* s = src, d = dst) NativeVector.GatherEven(d + Guard, s + Guard, count);
        for (int i = 0; i < count; i++) Assert.Equal(BitConverter.SingleToInt32Bits(src[Guard + 2 * i]), BitConverter.SingleToInt32Bits(dst[Guard + i]));
        Assert.All(dst.Take(Guard).Concat(dst.Skip(Guard + count)), v => Assert.Equal(-7f, v));
    }

    [Theory, MemberData(nameof(Counts))]
    public void AddToEvenTouchesEvenElementsOnly(int count)
    {
        int span = Math.Max(0, 2 * count - 1);
        var dst = Values(span + 2 * Guard, 100 + count);
        for (int i = 1; i < span; i += 2) dst[Guard + i] = -0f; // the odd elements: a −0 must keep its sign
        var src = Values(count, 200 + count);
        var expected = (float[])dst.Clone();
        for (int i = 0; i < count; i++) expected[Guard + 2 * i] += src[i];
        fixed (float* s = src, d = dst) NativeVector.AddToEven(d + Guard, s, count);
        for (int i = 0; i < dst.Length; i++) Assert.Equal(BitConverter.SingleToInt32Bits(expected[i]), BitConverter.SingleToInt32Bits(dst[i]));
    }
}
