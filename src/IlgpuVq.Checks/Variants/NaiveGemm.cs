using ILGPU;
using IlgpuVq.Engine.Autograd;
using IlgpuVq.Engine.Devices;
using IlgpuVq.Engine.Ops;
using IlgpuVq.Engine.Tensors;
using IlgpuVq.Kernels;
using V = ILGPU.ArrayView<float>;

namespace IlgpuVq.Checks.Variants;

/// <summary>
/// The one-output-per-thread baseline of <see cref="IlgpuVq.Engine.Ops.Gemm"/> (<see cref="GemmKernels.Naive"/>): a development
/// variant, not part of the op API, that the gradient checks, the tests and the benchmarks compare the tiled kernels with.
/// Same operands and transposes as <c>Gemm.Apply</c>; differentiable in both inputs (the gradients are naive GEMMs too).
/// </summary>
public static class NaiveGemm
{
    public static Tensor Apply(Tensor a, Tensor b, bool transA = false, bool transB = false) =>
        Backprop.Record(Product(a, b, transA, transB), new NaiveGemmBackward(a, b, transA, transB), a, b);

    static Tensor Product(Tensor a, Tensor b, bool transA, bool transB)
    {
        int m = transA ? a.Shape[1] : a.Shape[0], k = transA ? a.Shape[0] : a.Shape[1];
        int kb = transB ? b.Shape[1] : b.Shape[0], n = transB ? b.Shape[0] : b.Shape[1];
        if (k != kb) throw new ArgumentException($"naive gemm: op(A) of {a.Describe()} is [{m},{k}], op(B) of {b.Describe()} is [{kb},{n}]");
        var c = Tensor.Empty(a.Device, m, n);
        if (c.Length == 0) return c;
        if (k == 0) { c.Zero(); return c; }
        a.Device.Launch(Gemm.NaiveKernel, c.Length, a.View, b.View, c.View, n, k, transA ? 1 : k, transA ? m : 1, transB ? 1 : n, transB ? k : 1);
        return c;
    }

    sealed class NaiveGemmBackward(Tensor a, Tensor b, bool transA, bool transB) : GradNode
    {
        public override Tensor?[] Backward(Tensor dc) =>
        [
            Needs(0) ? (transA ? Product(b, dc, transB, true) : Product(dc, b, false, !transB)) : null,
            Needs(1) ? (transB ? Product(dc, a, true, transA) : Product(a, dc, !transA, false)) : null,
        ];
    }
}
