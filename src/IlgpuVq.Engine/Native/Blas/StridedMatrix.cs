namespace IlgpuVq.Engine.Native;

/// <summary>
/// A float matrix in host memory whose element (i, j) lies at <c>Data[i·RowStride + j·ColStride]</c>: a row-major matrix
/// with leading dimension ld is (ld, 1), its transpose read in place is (1, ld).
/// </summary>
public readonly unsafe struct StridedMatrix(float* data, long rowStride, long colStride)
{
    public readonly float* Data = data;
    public readonly long RowStride = rowStride, ColStride = colStride;

    /// <summary>Row-major storage with leading dimension <paramref name="ld"/>: (i, j) at i·ld + j.</summary>
    public static StridedMatrix RowMajor(float* data, long ld) => new(data, ld, 1);

    /// <summary>The transpose of a row-major matrix with leading dimension <paramref name="ld"/>: (i, j) at j·ld + i.</summary>
    public static StridedMatrix Transposed(float* data, long ld) => new(data, 1, ld);

    public float this[long i, long j] => Data[i * RowStride + j * ColStride];
}
