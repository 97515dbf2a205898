using ILGPU;
using ILGPU.Runtime;
using IlgpuVq.Engine.Autograd;
using IlgpuVq.Engine.Devices;
using IlgpuVq.Engine.Tensors;
using IlgpuVq.Kernels;
using NllK = System.Action<ILGPU.Index1D, int, int, ILGPU.ArrayView<float>, ILGPU.ArrayView<int>, ILGPU.ArrayView<float>, ILGPU.ArrayView<float>, int, int>;
using PartialK = System.Action<ILGPU.Index1D, int, int, ILGPU.ArrayView<float>, ILGPU.ArrayView<float>, int, int>;
using BackK = System.Action<ILGPU.Index1D, int, int, ILGPU.ArrayView<float>, ILGPU.ArrayView<int>, ILGPU.ArrayView<float>, ILGPU.ArrayView<float>, ILGPU.ArrayView<float>, int, int, float, int>;

namespace IlgpuVq.Engine.Ops;

/// <summary>
/// Softmax cross-entropy over the channel axis (kernels: <see cref="CrossEntropyKernels"/>; reference:
/// <c>IlgpuVq.Checks.Reference.CrossEntropyReference</c>). Logits [B,K,H,W] with int32 targets [B,H,W], or
/// logits [N,K] with targets [N]. A target outside [0, K) is an ignored position: it contributes 0 to the loss
/// and gets no gradient, but still counts in the mean's denominator (targets are never read on the host).
/// </summary>
public static class CrossEntropy
{
    /// <summary>Chunks of the deterministic two-pass mean (a fixed reduction shape, independent of the device).</summary>
    const int MeanChunks = 64;

    internal static readonly KernelSlot<NllK> NllKernel = new(CrossEntropyKernels.Nll);
    internal static readonly KernelSlot<PartialK> PartialKernel = new(CrossEntropyKernels.PartialSums);
    internal static readonly KernelSlot<BackK> BackKernel = new(CrossEntropyKernels.SoftmaxBackward);

    /// <summary>Mean negative log-likelihood over all positions → shape [1].</summary>
    public static Tensor Mean(Tensor logits, Tensor targets)
    {
        var (classes, hw, positions) = Check("cross_entropy", logits, targets);
        var (nll, lse) = Forward(logits, targets, classes, hw, positions);
        var y = Tensor.Empty(logits.Device, 1);
        int chunk = Math.Max(1, (positions + MeanChunks - 1) / MeanChunks);
        int chunks = (positions + chunk - 1) / chunk;
        var partials = Tensor.Empty(logits.Device, Math.Max(1, chunks));
        if (chunks > 0) logits.Device.Launch(PartialKernel, chunks, nll.View, partials.View, positions, chunk);
        logits.Device.Launch(Reduction.AddPartialsInOrderKernel, 1, partials.View, y.View, chunks, positions == 0 ? 0f : 1f / positions);
        return Backprop.Record(y, new NllBackward(logits, targets, lse, classes, hw, perPosition: false), logits);
    }

    /// <summary>Negative log-likelihood at every position → targets' shape ([B,H,W] or [N]).</summary>
    public static Tensor PerPosition(Tensor logits, Tensor targets)
    {
        var (classes, hw, positions) = Check("cross_entropy_per_position", logits, targets);
        var (nll, lse) = Forward(logits, targets, classes, hw, positions);
        return Backprop.Record(nll, new NllBackward(logits, targets, lse, classes, hw, perPosition: true), logits);
    }

    static (int Classes, int Hw, int Positions) Check(string op, Tensor logits, Tensor targets)
    {
        if (logits.DType != DType.Float32 || targets.DType != DType.Int32)
            throw new ArgumentException($"{op}: expects Float32 logits and Int32 targets, got {logits.Describe()} and {targets.Describe()}");
        Shape.RequireSameDevice(op, logits, targets);
        bool ok = logits.Rank switch
        {
            4 => targets.Rank == 3 && targets.Shape[0] == logits.Shape[0] && targets.Shape[1] == logits.Shape[2] && targets.Shape[2] == logits.Shape[3],
            2 => targets.Rank == 1 && targets.Shape[0] == logits.Shape[0],
            _ => false,
        };
        if (!ok || logits.Shape[1] < 1)
            throw new ArgumentException($"{op}: logits [B,K,H,W] need targets [B,H,W] (or [N,K] with [N]), K >= 1; got {logits.Describe()} and {targets.Describe()}");
        int hw = logits.Rank == 4 ? logits.Shape[2] * logits.Shape[3] : 1;
        return (logits.Shape[1], hw, targets.Length);
    }

    static (Tensor Nll, Tensor Lse) Forward(Tensor logits, Tensor targets, int classes, int hw, int positions)
    {
        var nll = Tensor.Empty(logits.Device, targets.Shape);
        var lse = Tensor.Empty(logits.Device, positions);
        if (positions > 0)
            logits.Device.Launch(NllKernel, positions, logits.View, targets.IntView, nll.View, lse.View, classes, hw);
        return (nll, lse);
    }

    /// <summary>Saves logits, targets and the per-position log-sum-exp; the softmax is recomputed from them.</summary>
    sealed class NllBackward(Tensor logits, Tensor targets, Tensor lse, int classes, int hw, bool perPosition) : GradNode
    {
        public override Tensor?[] Backward(Tensor dy)
        {
            var dx = Tensor.Empty(logits.Device, logits.Shape);
            if (dx.Length == 0) return [dx];
            float scale = perPosition ? 1f : 1f / targets.Length;
            logits.Device.Launch(BackKernel, dx.Length, logits.View, targets.IntView, lse.View, dy.View, dx.View,
                classes, hw, scale, perPosition ? 1 : 0);
            return [dx];
        }
    }
}
