using ILGPU;

namespace IlgpuVq.Kernels;

/// <summary>
/// Dense matrix product C[M,N] = op(A)·op(B) over row-major float32 views, where op(A)[m,k] is read at
/// A[m·sam + k·sak] and op(B)[k,n] at B[k·sbk + n·sbn]; the strides encode the transposes
/// (A [M,K]: sam = K, sak = 1; Aᵀ stored as [K,M]: sam = 1, sak = M; likewise for B).
/// Variants:
/// <list type="bullet">
/// <item><see cref="Tiled"/>: the production kernel. Each thread owns a 4×8 register tile of C (4 rows × 8 columns),
/// so every loaded element of A is used 8 times and every element of B 4 times. Edge tiles clamp their row and
/// column indices into range for the loads (no branches in the inner loop) and store only the in-range part, so any
/// M, N, K ≥ 1 works, including sizes that are not multiples of the tile.</item>
/// <item><see cref="Naive"/>: one output per thread, a documented baseline to compare the tile against.</item>
/// <item><see cref="SharedTiled"/>: explicitly grouped, the GPU kernel: a group computes a block of up to 64 × 64 outputs
/// (4×4 registers per thread) from A and B chunks staged through shared memory (<see cref="SharedTiles"/>). The op picks it on
/// CUDA and OpenCL; <see cref="Tiled"/> stays the kernel of the CPU simulators (where shared memory buys nothing).</item>
/// </list>
/// The first two are implicitly grouped (<see cref="Index1D"/>) grid-stride loops over tiles: correct for any group size and launch size. The K loop runs in a fixed order,
/// so results are bit-identical run to run.
/// </summary>
public static class GemmKernels
{
    /// <summary>Rows of C per thread in <see cref="Tiled"/>.</summary>
    public const int TileM = 4;
    /// <summary>Columns of C per thread in <see cref="Tiled"/>.</summary>
    public const int TileN = 8;

    /// <summary>Largest group of the shared-memory block tiles (<see cref="SharedTiled"/>, <see cref="Conv2dSharedKernels"/>): 16 × 16 threads.</summary>
    public const int SharedMaxGroup = SharedTiles.MaxGroup;

    /// <summary>Baseline: thread i computes C[i / N, i % N] as a dot product over K.</summary>
    public static void Naive(Index1D thread, int total, int stride, ArrayView<float> a, ArrayView<float> b, ArrayView<float> c,
        int n, int k, int sam, int sak, int sbk, int sbn)
    {
        for (long item = thread; item < total; item += stride)
        {
            int i = (int)item;
            int row = i / n, col = i - row * n;
            float sum = 0f;
            for (int p = 0; p < k; p++) sum += a[row * sam + p * sak] * b[p * sbk + col * sbn];
            c[i] = sum;
        }
    }

    /// <summary>
    /// Register-tiled: thread t owns rows [4·(t / tilesN), +4) and columns [8·(t % tilesN), +8) of C,
    /// with tilesN = ceil(N / 8). Work items (<c>total</c>): ceil(M / 4)·ceil(N / 8).
    /// </summary>
    public static void Tiled(Index1D thread, int total, int stride, ArrayView<float> a, ArrayView<float> b, ArrayView<float> c,
        int m, int n, int k, int sam, int sak, int sbk, int sbn)
    {
        for (long item = thread; item < total; item += stride)
        {
            int t = (int)item;
            int tilesN = (n + TileN - 1) / TileN;
            int tm = t / tilesN;
            int m0 = tm * TileM, n0 = (t - tm * tilesN) * TileN;

            // Clamped row offsets into A and column offsets into B (out-of-range lanes load valid, unused data).
            int a0 = XClamp(m0, m) * sam, a1 = XClamp(m0 + 1, m) * sam, a2 = XClamp(m0 + 2, m) * sam, a3 = XClamp(m0 + 3, m) * sam;
            var bo = new Row8i(
                XClamp(n0, n) * sbn, XClamp(n0 + 1, n) * sbn, XClamp(n0 + 2, n) * sbn, XClamp(n0 + 3, n) * sbn,
                XClamp(n0 + 4, n) * sbn, XClamp(n0 + 5, n) * sbn, XClamp(n0 + 6, n) * sbn, XClamp(n0 + 7, n) * sbn);

            var c0 = new Row8(); var c1 = new Row8(); var c2 = new Row8(); var c3 = new Row8();
            for (int p = 0; p < k; p++)
            {
                int ak = p * sak, bk = p * sbk;
                var bv = new Row8(b[bk + bo.V0], b[bk + bo.V1], b[bk + bo.V2], b[bk + bo.V3],
                                  b[bk + bo.V4], b[bk + bo.V5], b[bk + bo.V6], b[bk + bo.V7]);
                c0 = Row8.Fma(c0, a[a0 + ak], bv);
                c1 = Row8.Fma(c1, a[a1 + ak], bv);
                c2 = Row8.Fma(c2, a[a2 + ak], bv);
                c3 = Row8.Fma(c3, a[a3 + ak], bv);
            }
            c0.Store(c, m0 * n + n0, 1, n - n0, m0 < m);
            c1.Store(c, (m0 + 1) * n + n0, 1, n - n0, m0 + 1 < m);
            c2.Store(c, (m0 + 2) * n + n0, 1, n - n0, m0 + 2 < m);
            c3.Store(c, (m0 + 3) * n + n0, 1, n - n0, m0 + 3 < m);
        }
    }

    /// <summary>
    /// C = op(A)·op(B) with shared-memory block tiles (<see cref="SharedTiles.Run{T}"/>): launch with any number of groups of
    /// G threads, G a multiple of <paramref name="gn"/> with G / gn ≤ 16 and gn ≤ 16 (the op takes G from the accelerator).
    /// </summary>
    public static void SharedTiled(ArrayView<float> a, ArrayView<float> b, ArrayView<float> c, int m, int n, int k,
        int sam, int sak, int sbk, int sbn, int gn) =>
        SharedTiles.Run(new GemmProduct(a, b, c, m, n, k, sam, sak, sbk, sbn), gn, 1, k);

    /// <summary>The strided operands of <see cref="SharedTiled"/>.</summary>
    internal readonly struct GemmProduct(ArrayView<float> a, ArrayView<float> b, ArrayView<float> c, int m, int n, int k,
        int sam, int sak, int sbk, int sbn) : ITiledProduct
    {
        readonly ArrayView<float> a = a, b = b, c = c;
        readonly int m = m, n = n, k = k, sam = sam, sak = sak, sbk = sbk, sbn = sbn;
        public int M => m;
        public int N => n;
        public int K => k;
        public bool AContiguousInK => sak == 1;
        public bool BContiguousInN => sbn == 1;
        public float A(int row, int p) => a[row * sam + p * sak];
        public float B(int p, int col) => b[p * sbk + col * sbn];
        public void Store(int row, int col, int split, float value) => c[row * n + col] = value;
    }

    /// <summary>min(i, count - 1): an index clamped into [0, count).</summary>
    internal static int XClamp(int i, int count) => i < count ? i : count - 1;

    /// <summary>Eight int offsets (per-lane element offsets of a tile row).</summary>
    internal readonly struct Row8i(int v0, int v1, int v2, int v3, int v4, int v5, int v6, int v7)
    {
        public readonly int V0 = v0, V1 = v1, V2 = v2, V3 = v3, V4 = v4, V5 = v5, V6 = v6, V7 = v7;
    }

    /// <summary>Eight floats: one register row of a tile.</summary>
    internal struct Row8
    {
        public float V0, V1, V2, V3, V4, V5, V6, V7;

        public Row8(float v0, float v1, float v2, float v3, float v4, float v5, float v6, float v7)
        {
            V0 = v0; V1 = v1; V2 = v2; V3 = v3; V4 = v4; V5 = v5; V6 = v6; V7 = v7;
        }

        /// <summary>acc + s·x, lane by lane.</summary>
        public static Row8 Fma(Row8 acc, float s, Row8 x)
        {
            acc.V0 += s * x.V0; acc.V1 += s * x.V1; acc.V2 += s * x.V2; acc.V3 += s * x.V3;
            acc.V4 += s * x.V4; acc.V5 += s * x.V5; acc.V6 += s * x.V6; acc.V7 += s * x.V7;
            return acc;
        }

        /// <summary>y[offset + j·stride] = Vj for the first min(8, count) lanes, when <paramref name="rowValid"/>.</summary>
        public readonly void Store(ArrayView<float> y, int offset, int stride, int count, bool rowValid)
        {
            if (!rowValid) return;
            if (count > 0) y[offset] = V0;
            if (count > 1) y[offset + stride] = V1;
            if (count > 2) y[offset + 2 * stride] = V2;
            if (count > 3) y[offset + 3 * stride] = V3;
            if (count > 4) y[offset + 4 * stride] = V4;
            if (count > 5) y[offset + 5 * stride] = V5;
            if (count > 6) y[offset + 6 * stride] = V6;
            if (count > 7) y[offset + 7 * stride] = V7;
        }
    }
}
