using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace IlgpuVq.Engine.Native;

/// <summary>The vector instruction set the native backend's kernels are built for, chosen once at start-up.</summary>
public enum SimdPath
{
    /// <summary>AVX-512F: 32 zmm registers, the 8 × 32 GEMM tile and 512-bit loops.</summary>
    Avx512,
    /// <summary>AVX2 + FMA (no AVX-512): 16 ymm registers, the 6 × 16 GEMM tile and 256-bit loops.</summary>
    Avx2Fma,
    /// <summary>Neither: the 256-bit code through .NET's software fallback (correct, bit-identical, slow).</summary>
    Portable,
}

/// <summary>
/// Which <see cref="SimdPath"/> this process runs, from <c>Avx512F.IsSupported</c> / <c>Avx2.IsSupported</c> /
/// <c>Fma.IsSupported</c> (so <c>DOTNET_EnableAVX512=0</c> selects the AVX2 path on an AVX-512 machine; .NET 10 ignores the older <c>DOTNET_EnableAVX512F</c>). Every path gives
/// bit-identical results: the kernels round once per element in the same order whatever the vector width.
/// </summary>
public static class NativeIsa
{
    /// <summary>The path of this process.</summary>
    public static readonly SimdPath Path =
        Vector512.IsHardwareAccelerated && Avx512F.IsSupported ? SimdPath.Avx512
        : Avx2.IsSupported && Fma.IsSupported ? SimdPath.Avx2Fma
        : SimdPath.Portable;

    /// <summary>True on the AVX-512 path (512-bit loops and the 8 × 32 tile).</summary>
    public static readonly bool Use512 = Path == SimdPath.Avx512;

    /// <summary>What <c>ilgpuvq devices</c> shows, e.g. <c>AVX2+FMA, 6×16 GEMM tile</c>.</summary>
    public static string Description
    {
        get
        {
            var tile = SgemmTile.Current;
            string isa = Path switch
            {
                SimdPath.Avx512 => "AVX-512",
                SimdPath.Avx2Fma => "AVX2+FMA",
                _ => "no AVX2/FMA: software vectors",
            };
            return $"{isa}, {tile.Rows}×{tile.Cols} GEMM tile";
        }
    }
}
