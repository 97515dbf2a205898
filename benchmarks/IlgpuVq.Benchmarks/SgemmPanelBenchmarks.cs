using System.Runtime.InteropServices;
using BenchmarkDotNet.Attributes;
using IlgpuVq.Engine.Native;

namespace IlgpuVq.Benchmarks;

/// <summary>
/// The native <see cref="Sgemm"/> on one thread, A prepacked as the convolutions prepack their weights, at the shapes of
/// the ref models' per-image products (M × N × K: Winograd 128 → 32 and 128 → 128, a 1×1 convolution on 16 × 16, the first
/// layer's im2col product on 32 × 32), with B's rows N floats apart — read in place where <c>ReadsBInPlace</c> allows it
/// (N a multiple of the tile's columns and off the 4 KiB multiples) — and 1024 floats apart, which is always packed. The
/// two differ in B's stride as well as in packing: that is the rule's point (a 4 KiB stride puts B's rows in the same L1
/// sets, so packing wins there). FLOPs per call 2·M·N·K.
/// </summary>
public unsafe class SgemmPanelBenchmarks
{
    [Params("32x64x128", "128x64x128", "64x256x64", "64x1024x48")]
    public string Shape { get; set; } = "32x64x128";

    int m, n, k;
    float* packedA, b, packedStrideB, c;

    [GlobalSetup]
    public void Setup()
    {
        var s = Shape.Split('x').Select(int.Parse).ToArray();
        (m, n, k) = (s[0], s[1], s[2]);
        var rng = new Random(1);
        float* a = Alloc((long)m * k);
        for (long i = 0; i < (long)m * k; i++) a[i] = (float)(rng.NextDouble() - 0.5);
        packedA = Alloc(Sgemm.PackedASize(SgemmTile.Current, m, k));
        Sgemm.PackA(m, k, StridedMatrix.RowMajor(a, k), packedA);
        NativeMemory.AlignedFree(a);
        b = Alloc((long)k * n);
        packedStrideB = Alloc((long)k * 1024);
        for (int p = 0; p < k; p++)
            for (int j = 0; j < n; j++) b[(long)p * n + j] = packedStrideB[(long)p * 1024 + j] = (float)(rng.NextDouble() - 0.5);
        c = Alloc((long)m * n);
    }

    static float* Alloc(long floats) => (float*)NativeMemory.AlignedAlloc((nuint)(floats * sizeof(float)), 64);

    [Benchmark(Description = "Sgemm, B rows N apart (in place where allowed)")]
    public void RowsNApart() => Sgemm.Multiply(m, n, k, 1f, packedA, StridedMatrix.RowMajor(b, n), c, n, false, false);

    [Benchmark(Description = "Sgemm, B rows 1024 apart (packed)", Baseline = true)]
    public void Rows1024Apart() => Sgemm.Multiply(m, n, k, 1f, packedA, StridedMatrix.RowMajor(packedStrideB, 1024), c, n, false, false);

    [GlobalCleanup]
    public void Cleanup()
    {
        NativeMemory.AlignedFree(packedA);
        NativeMemory.AlignedFree(b);
        NativeMemory.AlignedFree(packedStrideB);
        NativeMemory.AlignedFree(c);
    }
}
