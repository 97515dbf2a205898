using IlgpuVq.Checks.Reference;
using IlgpuVq.Engine.Devices;
using IlgpuVq.Engine.Memory;
using IlgpuVq.Engine.Ops;
using IlgpuVq.Engine.Optim;
using IlgpuVq.Engine.Tensors;

namespace IlgpuVq.Tests.Optim;

/// <summary>AdamW against the double reference (float32 device state vs double host state: |Δ| ≤ 2e-6 + 1e-5·|p|).</summary>
public class AdamWTests
{
    const double Atol = 2e-6, Rtol = 1e-5;

    static Tensor Param(ComputeDevice device, string name, float[] data)
    {
        var p = Tensor.Persistent(device, DType.Float32, data.Length);
        p.CopyFrom(data);
        p.Name = name;
        p.RequiresGrad = true;
        return p;
    }

    /// <summary>Sets p.Grad to exactly g through autograd: backward of p·g with upstream ones gives g.</summary>
    static void SetGrad(Tensor p, float[] g)
    {
        using var scope = new TensorScope();
        p.ZeroGrad();
        Elementwise.Mul(p, Tensor.FromArray(p.Device, g, p.Shape)).Backward(Elementwise.Fill(p.Device, 1f, p.Shape));
    }

    static float[] Values(int n, int seed, double lo, double hi)
    {
        var rng = new Random(seed);
        return Enumerable.Range(0, n).Select(_ => (float)(lo + (hi - lo) * rng.NextDouble())).ToArray();
    }

    static void AssertClose(double[] expected, float[] actual)
    {
        for (int i = 0; i < expected.Length; i++)
            Assert.True(Math.Abs(actual[i] - expected[i]) <= Atol + Rtol * Math.Abs(expected[i]),
                $"p[{i}] = {actual[i]:g9}, reference {expected[i]:g9}");
    }

    [Theory]
    [MemberData(nameof(TestDevices.All), MemberType = typeof(TestDevices))]
    public void SeveralStepsMatchTheDoubleReference(string deviceName)
    {
        var device = TestDevices.Get(deviceName);
        const int n = 37;
        var init = Values(n, 1, -1, 1);
        using var p = Param(device, "w", init);
        using var opt = new AdamW([p], lr: 1e-2f, weightDecay: 0.05f);
        var rp = init.Select(v => (double)v).ToArray();
        var rm = new double[n];
        var rv = new double[n];
        for (int t = 1; t <= 6; t++)
        {
            var g = Values(n, 100 + t, -2, 2);
            if (t == 4) opt.LearningRate = 5e-3f;
            SetGrad(p, g);
            opt.Step();
            AdamWReference.Step(rp, g.Select(v => (double)v).ToArray(), rm, rv, t, opt.LearningRate, 0.9, 0.999, 1e-8, 0.05);
        }
        Assert.Equal(6, opt.StepCount);
        AssertClose(rp, p.ToArray());
        var state = opt.State().ToDictionary(s => s.Name, s => s.Tensor.ToArray());
        Assert.Equal(["w.exp_avg", "w.exp_avg_sq"], state.Keys.Order().ToArray());
        for (int i = 0; i < n; i++)
        {
            Assert.True(Math.Abs(state["w.exp_avg"][i] - rm[i]) <= 1e-6 + 1e-5 * Math.Abs(rm[i]));
            Assert.True(Math.Abs(state["w.exp_avg_sq"][i] - rv[i]) <= 1e-6 + 1e-5 * Math.Abs(rv[i]));
        }
    }

    [Theory]
    [MemberData(nameof(TestDevices.All), MemberType = typeof(TestDevices))]
    public void WeightDecayAppliesWithZeroGradient(string deviceName)
    {
        var device = TestDevices.Get(deviceName);
        var init = new[] { 3f, -2f, 0.5f, 0f };
        using var p = Param(device, "w", init);
        using var opt = new AdamW([p], lr: 0.1f, weightDecay: 0.2f);
        SetGrad(p, new float[4]);
        opt.Step();
        var after = p.ToArray();
        for (int i = 0; i < 4; i++) Assert.Equal(init[i] * (1 - 0.1 * 0.2), after[i], 1e-6);
        Assert.NotEqual(init[0], after[0]);
    }

    [Theory]
    [MemberData(nameof(TestDevices.All), MemberType = typeof(TestDevices))]
    public void FirstStepIsBiasCorrected(string deviceName)
    {
        // At t = 1 the corrected moments are g and g², so the step is lr·g/(|g| + eps) ≈ lr·sign(g) for any |g|.
        var device = TestDevices.Get(deviceName);
        using var p = Param(device, "w", [1f, 1f, 1f]);
        using var opt = new AdamW([p], lr: 0.01f, weightDecay: 0f);
        SetGrad(p, [1e-3f, -5f, 200f]);
        opt.Step();
        var after = p.ToArray();
        Assert.Equal(1 - 0.01, after[0], 1e-5);
        Assert.Equal(1 + 0.01, after[1], 1e-6);
        Assert.Equal(1 - 0.01, after[2], 1e-6);
    }

    [Theory]
    [MemberData(nameof(TestDevices.All), MemberType = typeof(TestDevices))]
    public void ParametersWithoutGradientAreSkipped(string deviceName)
    {
        var device = TestDevices.Get(deviceName);
        using var a = Param(device, "a", [1f, 2f]);
        using var b = Param(device, "b", [3f, 4f]);
        using var opt = new AdamW([a, b], lr: 0.1f, weightDecay: 0.5f);
        SetGrad(a, [1f, 1f]);
        opt.Step();
        Assert.Null(b.Grad);
        Assert.Equal([3f, 4f], b.ToArray());
        Assert.NotEqual([1f, 2f], a.ToArray());
        opt.ZeroGrad();
        Assert.Equal([0f, 0f], a.Grad!.ToArray());
    }

    [Theory]
    [MemberData(nameof(TestDevices.All), MemberType = typeof(TestDevices))]
    public void StateRoundTripContinuesIdentically(string deviceName)
    {
        var device = TestDevices.Get(deviceName);
        var init = Values(11, 2, -1, 1);
        using var p1 = Param(device, "w", init);
        using var opt1 = new AdamW([p1], lr: 0.02f);
        for (int t = 0; t < 3; t++) { SetGrad(p1, Values(11, 10 + t, -1, 1)); opt1.Step(); }

        using var p2 = Param(device, "w", p1.ToArray());
        using var opt2 = new AdamW([p2], lr: 0.02f);
        var saved = opt1.State().ToDictionary(s => s.Name, s => s.Tensor.ToArray());
        foreach (var (name, tensor) in opt2.State()) tensor.CopyFrom(saved[name]);
        opt2.LoadStepCount(opt1.StepCount);

        var g = Values(11, 99, -1, 1);
        SetGrad(p1, g); opt1.Step();
        SetGrad(p2, g); opt2.Step();
        Assert.Equal(p1.ToArray(), p2.ToArray());
        Assert.Equal(4, opt2.StepCount);
    }
}
