using ILGPU;
using IlgpuVq.Kernels;
using IlgpuVq.Engine.Ops;
using V = ILGPU.ArrayView<float>;

namespace IlgpuVq.Engine.Native;

/// <summary>Native <see cref="GemmKernels"/>: C [M,N] (row-major) = op(A)·op(B) with op(A)[m,k] = a[m·sam + k·sak] and
/// op(B)[k,n] = b[k·sbk + n·sbn], both through <see cref="Sgemm"/>.</summary>
public static unsafe class GemmNative
{
    internal static void Register(NativeRegistry r)
    {
        r.Add(Gemm.NaiveKernel, Naive);
        r.Add(Gemm.TiledKernel, Tiled);
    }

    /// <summary>The baseline's product (one work item per element of C): M = C's length / n, from the view, not from total.</summary>
    public static void Naive(Index1D thread, int total, int stride, V a, V b, V c, int n, int k, int sam, int sak, int sbk, int sbn) =>
        Product((int)(c.Length / n), n, k, a, b, c, sam, sak, sbk, sbn);

    /// <summary>The tiled kernel's product (its work items are the 4×8 tiles; the whole of C is computed here).</summary>
    public static void Tiled(Index1D thread, int total, int stride, V a, V b, V c, int m, int n, int k, int sam, int sak, int sbk, int sbn) =>
        Product(m, n, k, a, b, c, sam, sak, sbk, sbn);

    static void Product(int m, int n, int k, V a, V b, V c, int sam, int sak, int sbk, int sbn) =>
        Sgemm.Multiply(m, n, k, 1f, new StridedMatrix(NativeView.Ptr(a), sam, sak), new StridedMatrix(NativeView.Ptr(b), sbk, sbn),
            NativeView.Ptr(c), n, false, true);
}
