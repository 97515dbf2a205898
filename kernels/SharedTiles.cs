using ILGPU;
using static IlgpuVq.Kernels.Conv2dKernels;

namespace IlgpuVq.Kernels;

/// <summary>
/// One product C[M,N] = Σ_k A[m,k]·B[k,n] as seen by <see cref="SharedTiles.Run{T}"/>: how to read an element of A and of B
/// (only called in range), which index is contiguous in memory (so the tile loads can be coalesced), and where a result
/// goes. GEMM and the convolutions as implicit GEMMs implement it; a split index selects a K range and its partial output.
/// </summary>
internal interface ITiledProduct
{
    int M { get; }
    int N { get; }
    int K { get; }
    /// <summary>True when A[m,k] and A[m,k+1] are adjacent in memory (load A tiles k-fastest), false when A[m+1,k] is.</summary>
    bool AContiguousInK { get; }
    /// <summary>True when B[k,n] and B[k,n+1] are adjacent in memory (load B tiles n-fastest), false when B[k+1,n] is.</summary>
    bool BContiguousInN { get; }
    float A(int m, int k);
    float B(int k, int n);
    void Store(int m, int n, int split, float value);
}

/// <summary>
/// The shared-memory block tile behind the explicitly grouped GEMM and convolution kernels (<see cref="GemmKernels.SharedTiled"/>,
/// <see cref="Conv2dSharedKernels"/>). A group of G = gm·gn threads owns a block of (4·gm) × (4·gn) outputs; thread (ty, tx)
/// keeps a 4×4 register tile of the rows ty + i·gm and columns tx + j·gn (i, j = 0..3: neighbouring threads read neighbouring
/// shared words and store neighbouring outputs). K is walked in chunks of <see cref="TileK"/>: the group stages the A chunk
/// [4·gm × 16] and the B chunk [16 × 4·gn] through shared memory with coalesced global loads (the loop over a tile's elements
/// runs along the operand's contiguous index), double-buffered: chunk c+1 is loaded into the other buffer before chunk c is
/// multiplied, so one <c>Group.Barrier()</c> per chunk suffices. Edge tiles and the K tail load zeros and store only in range,
/// so any M, N, K ≥ 1 works. Static shared memory is sized for the largest block (G = 256: 64 × 64, 2 buffers × 2 operands × 16 × 65 floats
/// = 16.3 KiB); smaller groups (the CPU simulators) use part of it. Every loop bound is uniform over the group, so all threads
/// reach every barrier; blocks are visited grid-stride (any number of groups). The K order within a block is fixed, so
/// results are the same run to run.
/// </summary>
internal static class SharedTiles
{
    /// <summary>K elements per staged chunk.</summary>
    public const int TileK = 16;
    /// <summary>Rows and columns of the largest block (16 threads × 4 per thread on each side).</summary>
    public const int MaxBlock = 64;
    /// <summary>Largest group: 16 × 16 threads.</summary>
    public const int MaxGroup = 256;
    /// <summary>Words per k row of a staged chunk: one more than the block so that the k-fastest stores of a chunk fall in
    /// different shared-memory banks.</summary>
    const int Pitch = MaxBlock + 1;
    const int Buffer = TileK * Pitch;

    /// <summary>Runs the product over all blocks and <paramref name="splits"/> K ranges of <paramref name="kPerSplit"/>;
    /// <paramref name="gn"/> threads of the group along N (the group size must be a multiple of it, gm = G / gn ≤ 16, gn ≤ 16).</summary>
    public static void Run<T>(T p, int gn, int splits, int kPerSplit) where T : struct, ITiledProduct
    {
        var sa = SharedMemory.Allocate<float>(2 * Buffer);
        var sb = SharedMemory.Allocate<float>(2 * Buffer);
        int tid = Group.IdxX, groupSize = Group.DimX, gm = groupSize / gn;
        int ty = tid / gn, tx = tid - ty * gn;
        int bm = 4 * gm, bn = 4 * gn;
        int m = p.M, n = p.N, k = p.K;
        var aw = p.AContiguousInK ? new Walk(TileK, bm, tid, groupSize) : new Walk(bm, TileK, tid, groupSize);
        var bw = p.BContiguousInN ? new Walk(bn, TileK, tid, groupSize) : new Walk(TileK, bn, tid, groupSize);
        int tilesM = (m + bm - 1) / bm, tilesN = (n + bn - 1) / bn, perSplit = tilesM * tilesN;
        for (int block = Grid.IdxX; block < perSplit * splits; block += Grid.DimX)
        {
            int split = block / perSplit, r = block - split * perSplit;
            int tm = r / tilesN;
            int m0 = tm * bm, n0 = (r - tm * tilesN) * bn;
            int k0 = split * kPerSplit, k1 = k0 + kPerSplit < k ? k0 + kPerSplit : k;
            int chunks = k1 > k0 ? (k1 - k0 + TileK - 1) / TileK : 0;
            var c0 = new Row4(); var c1 = new Row4(); var c2 = new Row4(); var c3 = new Row4();
            if (chunks > 0) Stage(p, sa, sb, 0, m0, n0, k0, k1, aw, bw);
            Group.Barrier();
            for (int c = 0; c < chunks; c++)
            {
                int cur = (c & 1) * Buffer;
                if (c + 1 < chunks) Stage(p, sa, sb, Buffer - cur, m0, n0, k0 + (c + 1) * TileK, k1, aw, bw);
                for (int kk = 0; kk < TileK; kk++)
                {
                    int ar = cur + kk * Pitch + ty, br = cur + kk * Pitch + tx;
                    var bv = new Row4(sb[br], sb[br + gn], sb[br + 2 * gn], sb[br + 3 * gn]);
                    c0 = Row4.Fma(c0, sa[ar], bv);
                    c1 = Row4.Fma(c1, sa[ar + gm], bv);
                    c2 = Row4.Fma(c2, sa[ar + 2 * gm], bv);
                    c3 = Row4.Fma(c3, sa[ar + 3 * gm], bv);
                }
                Group.Barrier();
            }
            int row = m0 + ty, col = n0 + tx;
            StoreRow(p, c0, row, col, gn, split);
            StoreRow(p, c1, row + gm, col, gn, split);
            StoreRow(p, c2, row + 2 * gm, col, gn, split);
            StoreRow(p, c3, row + 3 * gm, col, gn, split);
        }
    }

    /// <summary>Loads the A chunk [bm × TileK] at (m0, kBase) and the B chunk [TileK × bn] at (kBase, n0) into the buffer at
    /// <paramref name="at"/>, k-major (sa[kk·65 + row], sb[kk·65 + col]); zeros outside [0,M) × [kBase,kEnd) × [0,N). Each thread
    /// walks its elements tid, tid + G, … along the operand's contiguous index (<see cref="Walk"/>, no division per element).</summary>
    static void Stage<T>(T p, ArrayView<float> sa, ArrayView<float> sb, int at, int m0, int n0, int kBase, int kEnd, Walk aw, Walk bw)
        where T : struct, ITiledProduct
    {
        bool aAlongK = p.AContiguousInK, bAlongN = p.BContiguousInN;
        int m = p.M, n = p.N;
        for (int f = aw.Fast0, sl = aw.Slow0; sl < aw.Slow; f += aw.FastStep, sl += aw.SlowStep)
        {
            if (f >= aw.Fast) { f -= aw.Fast; sl++; if (sl >= aw.Slow) break; }
            int kk = aAlongK ? f : sl, mm = aAlongK ? sl : f;
            int gr = m0 + mm, gk = kBase + kk;
            sa[at + kk * Pitch + mm] = gr < m && gk < kEnd ? p.A(gr, gk) : 0f;
        }
        for (int f = bw.Fast0, sl = bw.Slow0; sl < bw.Slow; f += bw.FastStep, sl += bw.SlowStep)
        {
            if (f >= bw.Fast) { f -= bw.Fast; sl++; if (sl >= bw.Slow) break; }
            int kk = bAlongN ? sl : f, nn = bAlongN ? f : sl;
            int gc = n0 + nn, gk = kBase + kk;
            sb[at + kk * Pitch + nn] = gc < n && gk < kEnd ? p.B(gk, gc) : 0f;
        }
    }

    /// <summary>
    /// A thread's elements tid, tid + G, tid + 2G, … of a [slow × fast] tile, as (fast, slow) coordinates that advance by
    /// (G mod fast, G / fast) with one carry: the divisions happen once per kernel, not once per staged element.
    /// </summary>
    readonly struct Walk(int fast, int slow, int tid, int groupSize)
    {
        public readonly int Fast = fast, Slow = slow, Fast0 = tid % fast, Slow0 = tid / fast, FastStep = groupSize % fast, SlowStep = groupSize / fast;
    }

    static void StoreRow<T>(T p, Row4 v, int row, int col, int gn, int split) where T : struct, ITiledProduct
    {
        if (row >= p.M) return;
        int n = p.N;
        if (col < n) p.Store(row, col, split, v.V0);
        if (col + gn < n) p.Store(row, col + gn, split, v.V1);
        if (col + 2 * gn < n) p.Store(row, col + 2 * gn, split, v.V2);
        if (col + 3 * gn < n) p.Store(row, col + 3 * gn, split, v.V3);
    }
}
