namespace IlgpuVq.Engine.Native;

/// <summary>
/// A register-tile shape of <see cref="Sgemm"/> with its cache blocking: <see cref="Rows"/> × <see cref="Cols"/> of C per
/// <see cref="SgemmMicroKernel"/> call, <see cref="BlockRows"/> rows of C per packed A block. Both tiles give bit-identical
/// results (each C element is one FMA chain per <see cref="Sgemm.BlockDepth"/> slice), so the shape only decides speed.
/// </summary>
public sealed class SgemmTile
{
    /// <summary>AVX-512 (32 zmm): 8 rows × two 512-bit vectors = 16 accumulators, 2 B vectors, broadcasts of A.</summary>
    public static readonly SgemmTile Avx512 = new(8, 32, 128);
    /// <summary>AVX2 (16 ymm, as BLIS/OpenBLAS on Haswell/Zen): 6 rows × two 256-bit vectors = 12 accumulators, 2 B vectors,
    /// one broadcast; 6 broadcasts + 2 loads per 12 FMAs, so the FMA ports and not the loads bound it.</summary>
    public static readonly SgemmTile Avx2 = new(6, 16, 144);

    /// <summary>The tile of this process's <see cref="NativeIsa.Path"/>.</summary>
    public static readonly SgemmTile Current = NativeIsa.Use512 ? Avx512 : Avx2;

    /// <summary>The tiles this machine can run (the 6 × 16 tile runs everywhere, in software without AVX2/FMA).</summary>
    public static IReadOnlyList<SgemmTile> Supported { get; } = NativeIsa.Use512 ? [Avx512, Avx2] : [Avx2];

    SgemmTile(int rows, int cols, int blockRows) => (Rows, Cols, BlockRows) = (rows, cols, blockRows);

    /// <summary>Rows of C per micro-kernel call (MR).</summary>
    public int Rows { get; }
    /// <summary>Columns of C per micro-kernel call (NR).</summary>
    public int Cols { get; }
    /// <summary>Rows of C per task (MC), a multiple of <see cref="Rows"/>: the packed A block (MC × KC) stays in L2.</summary>
    public int BlockRows { get; }

    public override string ToString() => $"{Rows}x{Cols}";
}
