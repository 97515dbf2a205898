using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using ILGPU;
using IlgpuVq.Kernels;
using IlgpuVq.Engine.Ops;
using V = ILGPU.ArrayView<float>;

namespace IlgpuVq.Engine.Native;

/// <summary>
/// Native vector-quantization kernels (<see cref="CodebookKernels"/>). <see cref="NearestCode"/> computes every distance
/// exactly as the kernel does (float, d ascending, diff·diff then add, no FMA) and applies the same tie rule, so its
/// indices equal the ILGPU backend's bit for bit; it vectorises across codes: the codebook is repacked per launch as
/// [D, K'] (K' = K rounded up to the codes per pass, padding codes NaN so they never win) and each pass keeps
/// <see cref="RowsPerPass"/> rows × the codes per pass of distances in registers: 4 × 64 (16 zmm accumulators) on AVX-512,
/// 4 × 16 (8 ymm accumulators, so the pass fits AVX2's 16 registers) otherwise. The result does not depend on the pass
/// shape: each lane keeps the first strict minimum of its codes and <see cref="Finish"/> takes the lowest code of the minima.
/// </summary>
public static unsafe class CodebookNative
{
    const int Lanes = 16;
    /// <summary>Codes per register pass on AVX-512: 4 vectors of 16.</summary>
    const int CodesPerPass = 4 * Lanes;
    /// <summary>Codes per register pass on the 256-bit path: 2 vectors of 8.</summary>
    const int CodesPerPass256 = 2 * 8;
    /// <summary>Rows sharing each loaded codebook vector.</summary>
    const int RowsPerPass = 4;
    /// <summary>Rows per parallel work item (fixed, so the partition never depends on the worker count).</summary>
    const int RowsPerBlock = 64;

    internal static void Register(NativeRegistry r)
    {
        r.Add(Codebook.NearestKernel, NearestCode);
        r.Add(Codebook.PartialKernel, SquaredDiffPartials);
        r.Add(Codebook.DiffKernel, ScaledDiff);
    }

    /// <summary>indices[row] = argmin_k Σ_d (z[row,d] − e[k,d])² (d ascending, float), lowest k on exact ties;
    /// row = b·hw + s reads z[b, d, s] with stride hw. The launch configuration and tile size are ignored.</summary>
    public static void NearestCode(KernelConfig config, V z, V codebook, ArrayView<int> indices,
        int rows, int codes, int dim, int hw, int tileCodes)
    {
        if (rows <= 0) return;
        float* pz = NativeView.Ptr(z), pe = NativeView.Ptr(codebook);
        int* pi = NativeView.Ptr(indices);
        if (!Vector256.IsHardwareAccelerated)
        {
            NativeParallel.ForBlocks(rows, RowsPerBlock, (start, end) => NearestScalar(pz, pe, pi, start, end, codes, dim, hw));
            return;
        }
        bool use512 = NativeIsa.Use512;
        int perPass = use512 ? CodesPerPass : CodesPerPass256;
        int padded = (codes + perPass - 1) / perPass * perPass;
        float* transposed = NativeScratch.Get(ScratchSlot.CodebookTransposed, (long)padded * dim);
        PackTransposed(pe, codes, dim, padded, transposed);
        NativeParallel.ForBlocks(rows, RowsPerBlock, (start, end) =>
        {
            for (long row = start; row < end; row += RowsPerPass)
                if (use512) NearestFourRows(pz, transposed, pi, row, end, padded, dim, hw);
                else NearestFourRows256(pz, transposed, pi, row, end, padded, dim, hw);
        });
    }

    /// <summary>transposed[d·padded + k] = e[k, d] for k &lt; codes, NaN for the padding codes.</summary>
    static void PackTransposed(float* e, int codes, int dim, int padded, float* transposed)
    {
        for (int d = 0; d < dim; d++)
        {
            float* column = transposed + (long)d * padded;
            for (int k = 0; k < codes; k++) column[k] = e[(long)k * dim + d];
            for (int k = codes; k < padded; k++) column[k] = float.NaN;
        }
    }

    /// <summary>Offset of row's first element in z (element d is at offset + d·hw).</summary>
    static long RowOffset(long row, int dim, int hw)
    {
        long b = row / hw;
        return b * dim * hw + (row - b * hw);
    }

    /// <summary>
    /// Nearest codes of rows [row, row + 4) ∩ [.., end) (missing rows repeat the last valid one and are not written).
    /// Lane j of code vector g in pass k0 holds code k0 + 16g + j; each lane keeps its best (strictly smaller replaces),
    /// visiting its codes in ascending order, and <see cref="Finish"/> picks the lowest code among the lanes' minima.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    static void NearestFourRows(float* z, float* transposed, int* indices, long row, long end, int padded, int dim, int hw)
    {
        long last = end - 1;
        float* z0 = z + RowOffset(row, dim, hw);
        float* z1 = z + RowOffset(Math.Min(row + 1, last), dim, hw);
        float* z2 = z + RowOffset(Math.Min(row + 2, last), dim, hw);
        float* z3 = z + RowOffset(Math.Min(row + 3, last), dim, hw);
        var inf = Vector512.Create(float.PositiveInfinity);
        Vector512<float> best0 = inf, best1 = inf, best2 = inf, best3 = inf;
        Vector512<int> code0 = default, code1 = default, code2 = default, code3 = default;
        var laneCodes = Vector512<int>.Indices;
        for (int k0 = 0; k0 < padded; k0 += CodesPerPass)
        {
            Vector512<float> a00 = default, a01 = default, a02 = default, a03 = default;
            Vector512<float> a10 = default, a11 = default, a12 = default, a13 = default;
            Vector512<float> a20 = default, a21 = default, a22 = default, a23 = default;
            Vector512<float> a30 = default, a31 = default, a32 = default, a33 = default;
            float* column = transposed + k0;
            long zOffset = 0;
            for (int d = 0; d < dim; d++, column += padded, zOffset += hw)
            {
                var e0 = Vector512.Load(column);
                var e1 = Vector512.Load(column + Lanes);
                var e2 = Vector512.Load(column + 2 * Lanes);
                var e3 = Vector512.Load(column + 3 * Lanes);
                var v = Vector512.Create(z0[zOffset]);
                a00 = AddSquaredDiff(a00, v, e0); a01 = AddSquaredDiff(a01, v, e1); a02 = AddSquaredDiff(a02, v, e2); a03 = AddSquaredDiff(a03, v, e3);
                v = Vector512.Create(z1[zOffset]);
                a10 = AddSquaredDiff(a10, v, e0); a11 = AddSquaredDiff(a11, v, e1); a12 = AddSquaredDiff(a12, v, e2); a13 = AddSquaredDiff(a13, v, e3);
                v = Vector512.Create(z2[zOffset]);
                a20 = AddSquaredDiff(a20, v, e0); a21 = AddSquaredDiff(a21, v, e1); a22 = AddSquaredDiff(a22, v, e2); a23 = AddSquaredDiff(a23, v, e3);
                v = Vector512.Create(z3[zOffset]);
                a30 = AddSquaredDiff(a30, v, e0); a31 = AddSquaredDiff(a31, v, e1); a32 = AddSquaredDiff(a32, v, e2); a33 = AddSquaredDiff(a33, v, e3);
            }
            var c0 = laneCodes + Vector512.Create(k0);
            var c1 = c0 + Vector512.Create(Lanes);
            var c2 = c1 + Vector512.Create(Lanes);
            var c3 = c2 + Vector512.Create(Lanes);
            KeepSmaller(a00, c0, ref best0, ref code0); KeepSmaller(a01, c1, ref best0, ref code0); KeepSmaller(a02, c2, ref best0, ref code0); KeepSmaller(a03, c3, ref best0, ref code0);
            KeepSmaller(a10, c0, ref best1, ref code1); KeepSmaller(a11, c1, ref best1, ref code1); KeepSmaller(a12, c2, ref best1, ref code1); KeepSmaller(a13, c3, ref best1, ref code1);
            KeepSmaller(a20, c0, ref best2, ref code2); KeepSmaller(a21, c1, ref best2, ref code2); KeepSmaller(a22, c2, ref best2, ref code2); KeepSmaller(a23, c3, ref best2, ref code2);
            KeepSmaller(a30, c0, ref best3, ref code3); KeepSmaller(a31, c1, ref best3, ref code3); KeepSmaller(a32, c2, ref best3, ref code3); KeepSmaller(a33, c3, ref best3, ref code3);
        }
        indices[row] = Finish(best0, code0);
        if (row + 1 <= last) indices[row + 1] = Finish(best1, code1);
        if (row + 2 <= last) indices[row + 2] = Finish(best2, code2);
        if (row + 3 <= last) indices[row + 3] = Finish(best3, code3);
    }

    /// <summary><see cref="NearestFourRows"/> with 256-bit vectors and 16 codes per pass (8 accumulators, 2 codebook
    /// vectors, the row value and a difference: 12 of AVX2's 16 ymm registers).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    static void NearestFourRows256(float* z, float* transposed, int* indices, long row, long end, int padded, int dim, int hw)
    {
        const int lanes = 8;
        long last = end - 1;
        float* z0 = z + RowOffset(row, dim, hw);
        float* z1 = z + RowOffset(Math.Min(row + 1, last), dim, hw);
        float* z2 = z + RowOffset(Math.Min(row + 2, last), dim, hw);
        float* z3 = z + RowOffset(Math.Min(row + 3, last), dim, hw);
        var inf = Vector256.Create(float.PositiveInfinity);
        Vector256<float> best0 = inf, best1 = inf, best2 = inf, best3 = inf;
        Vector256<int> code0 = default, code1 = default, code2 = default, code3 = default;
        var laneCodes = Vector256<int>.Indices;
        for (int k0 = 0; k0 < padded; k0 += CodesPerPass256)
        {
            Vector256<float> a00 = default, a01 = default, a10 = default, a11 = default;
            Vector256<float> a20 = default, a21 = default, a30 = default, a31 = default;
            float* column = transposed + k0;
            long zOffset = 0;
            for (int d = 0; d < dim; d++, column += padded, zOffset += hw)
            {
                var e0 = Vector256.Load(column);
                var e1 = Vector256.Load(column + lanes);
                var v = Vector256.Create(z0[zOffset]);
                a00 = AddSquaredDiff(a00, v, e0); a01 = AddSquaredDiff(a01, v, e1);
                v = Vector256.Create(z1[zOffset]);
                a10 = AddSquaredDiff(a10, v, e0); a11 = AddSquaredDiff(a11, v, e1);
                v = Vector256.Create(z2[zOffset]);
                a20 = AddSquaredDiff(a20, v, e0); a21 = AddSquaredDiff(a21, v, e1);
                v = Vector256.Create(z3[zOffset]);
                a30 = AddSquaredDiff(a30, v, e0); a31 = AddSquaredDiff(a31, v, e1);
            }
            var c0 = laneCodes + Vector256.Create(k0);
            var c1 = c0 + Vector256.Create(lanes);
            KeepSmaller(a00, c0, ref best0, ref code0); KeepSmaller(a01, c1, ref best0, ref code0);
            KeepSmaller(a10, c0, ref best1, ref code1); KeepSmaller(a11, c1, ref best1, ref code1);
            KeepSmaller(a20, c0, ref best2, ref code2); KeepSmaller(a21, c1, ref best2, ref code2);
            KeepSmaller(a30, c0, ref best3, ref code3); KeepSmaller(a31, c1, ref best3, ref code3);
        }
        indices[row] = Finish(best0, code0);
        if (row + 1 <= last) indices[row + 1] = Finish(best1, code1);
        if (row + 2 <= last) indices[row + 2] = Finish(best2, code2);
        if (row + 3 <= last) indices[row + 3] = Finish(best3, code3);
    }

    /// <summary>acc + (z − e)·(z − e), as a separate multiply and add (the kernel's rounding).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    static Vector512<float> AddSquaredDiff(Vector512<float> acc, Vector512<float> z, Vector512<float> e)
    {
        var diff = z - e;
        return acc + diff * diff;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    static Vector256<float> AddSquaredDiff(Vector256<float> acc, Vector256<float> z, Vector256<float> e)
    {
        var diff = z - e;
        return acc + diff * diff;
    }

    /// <summary>Per lane: where dist &lt; best (false for NaN), best = dist and code = codes.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    static void KeepSmaller(Vector512<float> dist, Vector512<int> codes, ref Vector512<float> best, ref Vector512<int> code)
    {
        var smaller = Vector512.LessThan(dist, best);
        best = Vector512.ConditionalSelect(smaller, dist, best);
        code = Vector512.ConditionalSelect(smaller.AsInt32(), codes, code);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    static void KeepSmaller(Vector256<float> dist, Vector256<int> codes, ref Vector256<float> best, ref Vector256<int> code)
    {
        var smaller = Vector256.LessThan(dist, best);
        best = Vector256.ConditionalSelect(smaller, dist, best);
        code = Vector256.ConditionalSelect(smaller.AsInt32(), codes, code);
    }

    /// <summary>The lowest code among lanes holding the minimum finite-or-not-infinite best distance; 0 if every
    /// distance was +∞ or NaN (the kernel's initial best code).</summary>
    static int Finish(Vector512<float> best, Vector512<int> code)
    {
        Span<float> dists = stackalloc float[Vector512<float>.Count];
        Span<int> codes = stackalloc int[Vector512<int>.Count];
        best.CopyTo(dists);
        code.CopyTo(codes);
        return Finish(dists, codes);
    }

    static int Finish(Vector256<float> best, Vector256<int> code)
    {
        Span<float> dists = stackalloc float[Vector256<float>.Count];
        Span<int> codes = stackalloc int[Vector256<int>.Count];
        best.CopyTo(dists);
        code.CopyTo(codes);
        return Finish(dists, codes);
    }

    static int Finish(ReadOnlySpan<float> dists, ReadOnlySpan<int> codes)
    {
        float bestDist = float.PositiveInfinity;
        int bestCode = int.MaxValue;
        for (int j = 0; j < dists.Length; j++)
        {
            float dist = dists[j];
            int k = codes[j];
            if (dist < bestDist || (dist == bestDist && dist < float.PositiveInfinity && k < bestCode))
            {
                bestDist = dist;
                bestCode = k;
            }
        }
        return bestCode == int.MaxValue ? 0 : bestCode;
    }

    /// <summary>The kernel's loop for rows [start, end) without vectors (machines without AVX2).</summary>
    static void NearestScalar(float* z, float* e, int* indices, long start, long end, int codes, int dim, int hw)
    {
        for (long row = start; row < end; row++)
        {
            float* zRow = z + RowOffset(row, dim, hw);
            float best = float.PositiveInfinity;
            int bestCode = 0;
            for (int k = 0; k < codes; k++)
            {
                float dist = 0f;
                float* code = e + (long)k * dim;
                for (int d = 0; d < dim; d++)
                {
                    float diff = zRow[(long)d * hw] - code[d];
                    dist += diff * diff;
                }
                if (dist < best) { best = dist; bestCode = k; }
            }
            indices[row] = bestCode;
        }
    }

    /// <summary>partials[c] = Σ (a[j] − b[j])² over chunk c (float, ascending j, multiply then add); c &lt; total.</summary>
    public static void SquaredDiffPartials(Index1D thread, int total, int stride, V a, V b, V partials, int n, int chunk)
    {
        float* pa = NativeView.Ptr(a), pb = NativeView.Ptr(b), pp = NativeView.Ptr(partials);
        NativeParallel.For(total, c =>
        {
            long start = (long)c * chunk, end = Math.Min(start + chunk, n);
            float sum = 0f;
            for (long j = start; j < end; j++)
            {
                float diff = pa[j] - pb[j];
                sum += diff * diff;
            }
            pp[c] = sum;
        });
    }

    /// <summary>y[i] = (scale · dy[0]) · (a[i] − b[i]) for i &lt; total.</summary>
    public static void ScaledDiff(Index1D thread, int total, int stride, V a, V b, V dy, V y, float scale) =>
        SimdMap.Binary(NativeView.Ptr(a), NativeView.Ptr(b), NativeView.Ptr(y), total, new ScaledDifference(scale * NativeView.Ptr(dy)[0]));
}
