using ILGPU;
using ILGPU.Runtime;
using IlgpuVq.Engine.Devices;
using IlgpuVq.Engine.Tensors;
using IlgpuVq.Kernels;
using V = ILGPU.ArrayView<float>;

namespace IlgpuVq.Engine.Optim;

/// <summary>
/// AdamW with decoupled weight decay, PyTorch semantics (kernel: <see cref="AdamWKernels"/>; reference:
/// <c>IlgpuVq.Checks.Reference.AdamWReference</c>). Moments are persistent tensors created with the optimizer
/// (zero) and exported by <see cref="State"/> for checkpoints. Parameters whose gradient is null are skipped
/// entirely (no decay, no moment update), as in PyTorch.
/// </summary>
public sealed class AdamW : Optimizer
{
    internal static readonly KernelSlot<Action<Index1D, int, int, V, V, V, V, AdamWStepConstants>> StepKernel =
        new(AdamWKernels.Step);

    readonly Tensor[] expAvg, expAvgSq;

    public AdamW(IReadOnlyList<Tensor> parameters, float lr = 2e-4f, float beta1 = 0.9f, float beta2 = 0.999f, float eps = 1e-8f, float weightDecay = 1e-4f)
        : base(parameters)
    {
        if (lr < 0 || eps < 0 || weightDecay < 0 || beta1 is < 0 or >= 1 || beta2 is < 0 or >= 1)
            throw new ArgumentException($"adamw: invalid hyper-parameters lr={lr} beta1={beta1} beta2={beta2} eps={eps} weightDecay={weightDecay}");
        foreach (var p in parameters)
            if (p.DType != DType.Float32) throw new ArgumentException($"adamw: parameter {p.Describe()} is not Float32");
        LearningRate = lr;
        Beta1 = beta1;
        Beta2 = beta2;
        Eps = eps;
        WeightDecay = weightDecay;
        expAvg = parameters.Select(p => Tensor.Persistent(p.Device, DType.Float32, p.Shape)).ToArray();
        expAvgSq = parameters.Select(p => Tensor.Persistent(p.Device, DType.Float32, p.Shape)).ToArray();
        for (int i = 0; i < parameters.Count; i++)
        {
            expAvg[i].Name = $"{ParamName(i)}.exp_avg";
            expAvgSq[i].Name = $"{ParamName(i)}.exp_avg_sq";
        }
    }

    public float Beta1 { get; }
    public float Beta2 { get; }
    public float Eps { get; }
    public float WeightDecay { get; set; }

    /// <summary>Number of steps taken (t in the bias corrections); restored from checkpoints by <see cref="LoadStepCount"/>.</summary>
    public long StepCount { get; private set; }

    string ParamName(int i) => Parameters[i].Name ?? $"param{i}";

    public override void Step()
    {
        StepCount++;
        double lr = LearningRate;
        var k = new AdamWStepConstants
        {
            Decay = (float)(1 - lr * WeightDecay),
            Beta1 = Beta1,
            Beta2 = Beta2,
            Eps = Eps,
            StepSize = (float)(lr / (1 - Math.Pow(Beta1, StepCount))),
            InvBias2Sqrt = (float)(1 / Math.Sqrt(1 - Math.Pow(Beta2, StepCount))),
        };
        for (int i = 0; i < Parameters.Count; i++)
        {
            var p = Parameters[i];
            if (p.Grad == null || p.Length == 0) continue;
            p.Device.Launch(StepKernel, p.Length, p.View, p.Grad.View, expAvg[i].View, expAvgSq[i].View, k);
        }
    }

    /// <summary>The optimizer state for a checkpoint: per parameter <c>&lt;name&gt;.exp_avg</c> and <c>&lt;name&gt;.exp_avg_sq</c>
    /// (the live tensors: loading a checkpoint copies into them). The step count is separate (<see cref="StepCount"/>).</summary>
    public IEnumerable<(string Name, Tensor Tensor)> State()
    {
        for (int i = 0; i < Parameters.Count; i++)
        {
            yield return (expAvg[i].Name!, expAvg[i]);
            yield return (expAvgSq[i].Name!, expAvgSq[i]);
        }
    }

    /// <summary>Restores the step count of a checkpoint (moments are restored by copying into <see cref="State"/>'s tensors).</summary>
    public void LoadStepCount(long steps)
    {
        if (steps < 0) throw new ArgumentException($"adamw: negative step count {steps}");
        StepCount = steps;
    }

    public override void Dispose()
    {
        foreach (var t in expAvg) t.Dispose();
        foreach (var t in expAvgSq) t.Dispose();
    }
}
