using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace IlgpuVq.Engine.Native;

/// <summary>Elementwise helpers of the native kernels (results independent of the vector width: one rounding per element).</summary>
static unsafe class NativeVector
{
    /// <summary>dst[i] = src[i] for i &lt; count: vector moves inline, for the short rows of im2col (16 floats at 16×16), where
    /// a call to memmove per row cost more than the copy (2.5 % of a ref VQ-VAE step in memmove on Zen 3).</summary>
    public static void Copy(float* dst, float* src, int count)
    {
        int i = 0;
        for (; i + 8 <= count; i += 8) Vector256.Load(src + i).Store(dst + i);
        for (; i < count; i++) dst[i] = src[i];
    }

    /// <summary>dst[i] += src[i] for i &lt; count.</summary>
    public static void AddTo(float* dst, float* src, int count)
    {
        int i = 0;
        for (; i + 16 <= count; i += 16) (Vector512.Load(dst + i) + Vector512.Load(src + i)).Store(dst + i);
        for (; i + 8 <= count; i += 8) (Vector256.Load(dst + i) + Vector256.Load(src + i)).Store(dst + i);
        for (; i < count; i++) dst[i] += src[i];
    }

    /// <summary>dst[i] += value for i &lt; count.</summary>
    public static void AddScalar(float* dst, float value, int count)
    {
        int i = 0;
        var v = Vector512.Create(value);
        for (; i + 16 <= count; i += 16) (Vector512.Load(dst + i) + v).Store(dst + i);
        for (; i < count; i++) dst[i] += value;
    }

    /// <summary>Σ src[i] for i &lt; count: eight interleaved partial sums (lane j takes i ≡ j mod 8), added in lane order, then the tail.</summary>
    public static float Sum(float* src, int count)
    {
        int i = 0;
        var acc = Vector256<float>.Zero;
        for (; i + 8 <= count; i += 8) acc += Vector256.Load(src + i);
        float sum = 0f;
        for (int j = 0; j < 8; j++) sum += acc.GetElement(j);
        for (; i < count; i++) sum += src[i];
        return sum;
    }

    static readonly bool Use512 = NativeIsa.Use512;
    /// <summary>The 256-bit AVX2 paths of the stride-2 helpers (the AVX-512 path runs them for its tails too).</summary>
    static readonly bool Use256 = NativeIsa.Path != SimdPath.Portable;

    /// <summary>v's 64-bit quarters in the order (0, 2, 1, 3) (vpermpd): undoes the per-128-bit-half interleave of vshufps and
    /// vunpck, and sets up the spread of <see cref="AddToEven"/>.</summary>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
    static Vector256<float> Quarters0213(Vector256<float> v) => Avx2.Permute4x64(v.AsDouble(), 0b11_01_10_00).AsSingle();

    /// <summary>Lane i of the even-element permutation: 2i (elements 0..31 of two concatenated vectors).</summary>
    static readonly Vector512<int> EvenIndices = Vector512.Create(0, 2, 4, 6, 8, 10, 12, 14, 16, 18, 20, 22, 24, 26, 28, 30);
    static readonly Vector512<int> SpreadLow = Vector512.Create(0, 0, 1, 1, 2, 2, 3, 3, 4, 4, 5, 5, 6, 6, 7, 7);
    static readonly Vector512<int> SpreadHigh = Vector512.Create(8, 8, 9, 9, 10, 10, 11, 11, 12, 12, 13, 13, 14, 14, 15, 15);
    static readonly Vector512<float> EvenLanes = Vector512.Create(-1, 0, -1, 0, -1, 0, -1, 0, -1, 0, -1, 0, -1, 0, -1, 0).AsSingle();

    /// <summary>dst[i] = src[2i] for i &lt; count (reads src only up to index 2·(count − 1)).</summary>
    public static void GatherEven(float* dst, float* src, int count)
    {
        int i = 0;
        if (Use512)
            for (; i + 17 <= count; i += 16)
                Avx512F.PermuteVar16x32x2(Vector512.Load(src + 2 * i), EvenIndices, Vector512.Load(src + 2 * i + 16)).Store(dst + i);
        if (Use256)
        {
            // Two loads of 8, the even lanes of each 128-bit half (vshufps), then the 64-bit quarters in order (vpermpd).
            for (; i + 9 <= count; i += 8)
                Quarters0213(Avx.Shuffle(Vector256.Load(src + 2 * i), Vector256.Load(src + 2 * i + 8), 0b10_00_10_00)).Store(dst + i);
            // The last 8: the second load moved back by one float (ending at src[2·(count − 1)]) and its odd lanes taken.
            if (i + 8 <= count)
            {
                Quarters0213(Avx.Shuffle(Vector256.Load(src + 2 * i), Vector256.Load(src + 2 * i + 7), 0b11_01_10_00)).Store(dst + i);
                i += 8;
            }
        }
        for (; i < count; i++) dst[i] = src[2 * i];
    }

    /// <summary>dst[2i] = even[i] and dst[2i + 1] = odd[i] for the first <paramref name="count"/> elements of dst. It reads only
    /// even[0 .. ⌈count/2⌉) and odd[0 .. ⌊count/2⌋) and writes only dst[0 .. count): the loads and stores are masked (AVX-512:
    /// 32 elements of dst per block), or the last block's are (<see cref="StoreInterleaved"/>).</summary>
    public static void Interleave(float* dst, float* even, float* odd, int count)
    {
        int i = 0;
        if (Use512)
            for (; 2 * i < count; i += 16)
            {
                // 16 of each to 32 of dst: lanes (e0 o0 … e7 o7) and (e8 o8 … e15 o15) by two two-register permutes.
                int left = count - 2 * i;
                var e = Avx512F.MaskLoad(even + i, FirstLanes512((left + 1) / 2), Vector512<float>.Zero);
                var o = Avx512F.MaskLoad(odd + i, FirstLanes512(left / 2), Vector512<float>.Zero);
                Avx512F.MaskStore(dst + 2 * i, FirstLanes512(left), Avx512F.PermuteVar16x32x2(e, InterleaveLow, o));
                if (left > 16) Avx512F.MaskStore(dst + 2 * i + 16, FirstLanes512(left - 16), Avx512F.PermuteVar16x32x2(e, InterleaveHigh, o));
            }
        if (Use256)
            for (; 2 * i < count; i += 8)
            {
                int left = count - 2 * i;
                if (left >= 16)
                    StoreInterleaved(dst + 2 * i, Vector256.Load(even + i), Vector256.Load(odd + i), 16);
                else
                    StoreInterleaved(dst + 2 * i, Avx.MaskLoad(even + i, FirstLanes((left + 1) / 2)), Avx.MaskLoad(odd + i, FirstLanes(left / 2)), left);
            }
        for (int j = 2 * i; j < count; j++) dst[j] = (j & 1) == 0 ? even[j >> 1] : odd[j >> 1];
    }

    /// <summary>The lanes e0 o0 e1 o1 … e7 o7 of <paramref name="even"/> and <paramref name="odd"/>, the first
    /// <paramref name="count"/> (at most 16) of them to dst; nothing past dst[count − 1] is touched (masked stores).</summary>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
    public static void StoreInterleaved(float* dst, Vector256<float> even, Vector256<float> odd, int count)
    {
        if (!Use256)
        {
            for (int j = 0; j < count; j++) dst[j] = (j & 1) == 0 ? even.GetElement(j >> 1) : odd.GetElement(j >> 1);
            return;
        }
        // Within each 128-bit half e0 o0 e1 o1 | e4 o4 e5 o5 and e2 o2 e3 o3 | e6 o6 e7 o7; then the halves in order.
        var low = Avx.UnpackLow(even, odd);
        var high = Avx.UnpackHigh(even, odd);
        var first = Avx.Permute2x128(low, high, 0x20);
        var second = Avx.Permute2x128(low, high, 0x31);
        if (count >= 16)
        {
            first.Store(dst);
            second.Store(dst + 8);
            return;
        }
        Avx.MaskStore(dst, FirstLanes(count), first);
        if (count > 8) Avx.MaskStore(dst + 8, FirstLanes(count - 8), second);
    }

    static readonly Vector512<int> InterleaveLow = Vector512.Create(0, 16, 1, 17, 2, 18, 3, 19, 4, 20, 5, 21, 6, 22, 7, 23);
    static readonly Vector512<int> InterleaveHigh = InterleaveLow + Vector512.Create(8);

    /// <summary>A mask of the first <paramref name="count"/> of 16 lanes (all of them from 16 on).</summary>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
    static Vector512<float> FirstLanes512(int count) =>
        Vector512.LessThan(Vector512<int>.Indices, Vector512.Create(count)).AsSingle();

    /// <summary>A mask of the first <paramref name="count"/> of 8 lanes (all bits set in each).</summary>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
    static Vector256<float> FirstLanes(int count) =>
        Vector256.LessThan(Vector256.Create(0, 1, 2, 3, 4, 5, 6, 7), Vector256.Create(count)).AsSingle();

    /// <summary>dst[2i] += src[i] for i &lt; count (touches dst only up to index 2·(count − 1); odd elements keep their bits).</summary>
    public static void AddToEven(float* dst, float* src, int count)
    {
        int i = 0;
        if (Use512)
            for (; i + 17 <= count; i += 16)
            {
                var s = Vector512.Load(src + i);
                var lo = Vector512.Load(dst + 2 * i);
                var hi = Vector512.Load(dst + 2 * i + 16);
                Vector512.ConditionalSelect(EvenLanes, lo + Avx512F.PermuteVar16x32(s, SpreadLow), lo).Store(dst + 2 * i);
                Vector512.ConditionalSelect(EvenLanes, hi + Avx512F.PermuteVar16x32(s, SpreadHigh), hi).Store(dst + 2 * i + 16);
            }
        if (Use256)
            for (; i + 9 <= count; i += 8)
            {
                // s's 64-bit quarters as (0, 2, 1, 3), so that interleaving with zeros inside each 128-bit half gives
                // s0 · s1 · s2 · s3 · and s4 · s5 · s6 · s7 ·; the sums are blended into the even lanes only, so the odd
                // elements keep their bits (the last one written is dst[2i + 15] ≤ dst[2·(count − 1) − 1]).
                var s = Quarters0213(Vector256.Load(src + i));
                var lo = Vector256.Load(dst + 2 * i);
                var hi = Vector256.Load(dst + 2 * i + 8);
                Avx.Blend(lo, lo + Avx.UnpackLow(s, Vector256<float>.Zero), 0b0101_0101).Store(dst + 2 * i);
                Avx.Blend(hi, hi + Avx.UnpackHigh(s, Vector256<float>.Zero), 0b0101_0101).Store(dst + 2 * i + 8);
            }
        if (Use256 && i + 8 <= count)
        {
            // The last 8: the second window moved back by one float (ending at dst[2·(count − 1)]), so its sums go to the odd
            // lanes; dst[2i + 7], in both windows, is stored unchanged twice.
            var s = Quarters0213(Vector256.Load(src + i));
            var lo = Vector256.Load(dst + 2 * i);
            var hi = Vector256.Load(dst + 2 * i + 7);
            Avx.Blend(lo, lo + Avx.UnpackLow(s, Vector256<float>.Zero), 0b0101_0101).Store(dst + 2 * i);
            Avx.Blend(hi, hi + Avx.UnpackHigh(Vector256<float>.Zero, s), 0b1010_1010).Store(dst + 2 * i + 7);
            i += 8;
        }
        for (; i < count; i++) dst[2 * i] += src[i];
    }
}
