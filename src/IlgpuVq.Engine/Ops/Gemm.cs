using ILGPU;
using ILGPU.Runtime;
using IlgpuVq.Engine.Autograd;
using IlgpuVq.Engine.Devices;
using IlgpuVq.Engine.Tensors;
using IlgpuVq.Kernels;
using TiledDelegate = System.Action<ILGPU.Index1D, int, int, ILGPU.ArrayView<float>, ILGPU.ArrayView<float>, ILGPU.ArrayView<float>,
    int, int, int, int, int, int, int>;
using SharedDelegate = System.Action<ILGPU.KernelConfig, ILGPU.ArrayView<float>, ILGPU.ArrayView<float>, ILGPU.ArrayView<float>,
    int, int, int, int, int, int, int, int>;

namespace IlgpuVq.Engine.Ops;

/// <summary>
/// Matrix product C = op(A)·op(B) of rank-2 row-major tensors, op = identity or transpose
/// (kernels: <see cref="GemmKernels"/>; reference: <c>IlgpuVq.Checks.Reference.GemmReference</c>).
/// op(A) is [M,K] and op(B) is [K,N]: A is stored [M,K] (or [K,M] when <c>transA</c>), B is [K,N] (or [N,K] when
/// <c>transB</c>). Differentiable in both inputs; the gradients are again GEMMs with transposes, no copies.
/// </summary>
public static class Gemm
{
    internal static readonly KernelSlot<TiledDelegate> TiledKernel = new(GemmKernels.Tiled, KernelCost.Product(2, "m", "n", "k"));
    internal static readonly KernelSlot<SharedDelegate> SharedKernel = new(GemmKernels.SharedTiled, KernelCost.Product(2, "m", "n", "k"));
    /// <summary>The one-output-per-thread baseline, launched by <c>IlgpuVq.Checks.Variants.NaiveGemm</c> (tests, benchmarks, gradcheck).</summary>
    public static readonly KernelSlot<Action<Index1D, int, int, ArrayView<float>, ArrayView<float>, ArrayView<float>, int, int, int, int, int, int>> NaiveKernel =
        new(GemmKernels.Naive, KernelCost.Product(2, "total", "k")); // total = m·n outputs

    /// <summary>op(A)·op(B) with the device's kernel: shared-memory block tiles on GPUs, register tiles elsewhere (<see cref="SharedTiling"/>).</summary>
    /// <remarks>The one-output-per-thread baseline that tests and benchmarks compare with is <c>IlgpuVq.Checks.Variants.NaiveGemm</c>.</remarks>
    public static Tensor Apply(Tensor a, Tensor b, bool transA = false, bool transB = false) =>
        Backprop.Record(Product(a, b, transA, transB), new GemmBackward(a, b, transA, transB), a, b);

    /// <summary>The product without recording (used by forward and backward).</summary>
    static Tensor Product(Tensor a, Tensor b, bool transA, bool transB)
    {
        Shape.RequireRank("gemm", a, 2);
        Shape.RequireRank("gemm", b, 2);
        Shape.RequireSameDevice("gemm", a, b);
        int m = transA ? a.Shape[1] : a.Shape[0], k = transA ? a.Shape[0] : a.Shape[1];
        int kb = transB ? b.Shape[1] : b.Shape[0], n = transB ? b.Shape[0] : b.Shape[1];
        if (k != kb)
            throw new ArgumentException($"gemm: inner dimensions differ: op(A) of {a.Describe()} (transA={transA}) is [{m},{k}], " +
                                        $"op(B) of {b.Describe()} (transB={transB}) is [{kb},{n}]");
        var device = a.Device;
        var c = Tensor.Empty(device, m, n);
        if (c.Length == 0) return c;
        if (k == 0) { c.Zero(); return c; }
        int sam = transA ? 1 : k, sak = transA ? m : 1;
        int sbk = transB ? 1 : n, sbn = transB ? k : 1;
        if (SharedTiling.Uses(device))
        {
            var (config, gn) = SharedTiling.Launch(device, m, n, 1);
            device.Kernel(SharedKernel)(config, a.View, b.View, c.View, m, n, k, sam, sak, sbk, sbn, gn);
        }
        else
        {
            int tiles = ((m + GemmKernels.TileM - 1) / GemmKernels.TileM) * ((n + GemmKernels.TileN - 1) / GemmKernels.TileN);
            device.Launch(TiledKernel, tiles, a.View, b.View, c.View, m, n, k, sam, sak, sbk, sbn);
        }
        return c;
    }

    sealed class GemmBackward(Tensor a, Tensor b, bool transA, bool transB) : GradNode
    {
        public override Tensor?[] Backward(Tensor dc)
        {
            // C = op(A)·op(B):  d op(A) = dC·op(B)ᵀ,  d op(B) = op(A)ᵀ·dC; transposing back where A or B was transposed.
            Tensor? da = null, db = null;
            if (Needs(0))
                da = transA ? Product(b, dc, transB, true) : Product(dc, b, false, !transB);
            if (Needs(1))
                db = transB ? Product(dc, a, true, transA) : Product(a, dc, !transA, false);
            return [da, db];
        }
    }
}
