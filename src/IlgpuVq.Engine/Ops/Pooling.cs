using IlgpuVq.Engine.Tensors;

namespace IlgpuVq.Engine.Ops;

/// <summary>
/// Global average pooling (reference: <c>IlgpuVq.Checks.Reference.PoolingReference</c>): x [N,C,H,W] → [N,C], the
/// mean of each channel's H·W plane; the gradient spreads dy[n,c]/(H·W) over the plane. An NCHW plane is a
/// contiguous run, so the kernels are the row mean of <see cref="Reduction"/> (<c>ReductionKernels.RowSum</c> and
/// <c>BroadcastRows</c>, with native versions): one work item per (n, c) summing its plane in order, deterministic.
/// </summary>
public static class Pooling
{
    public static Tensor GlobalAverage(Tensor x)
    {
        if (x.Rank != 4 || x.Shape[2] * x.Shape[3] == 0)
            throw new ArgumentException($"global_avg_pool: expected a non-empty [N,C,H,W], got {x.Describe()}");
        return Reduction.RowMean(x, x.Shape[2] * x.Shape[3], [x.Shape[0], x.Shape[1]]);
    }
}
