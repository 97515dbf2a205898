using IlgpuVq.Engine.Autograd;
using IlgpuVq.Engine.Memory;
using IlgpuVq.Engine.Ops;
using IlgpuVq.Engine.Tensors;

namespace IlgpuVq.Tests.Autograd;

public class ScopeAndPoolTests
{
    [Theory]
    [MemberData(nameof(TestDevices.All), MemberType = typeof(TestDevices))]
    public void RepeatedStepsAllocateNothingNewAfterTheFirst(string deviceName)
    {
        var device = TestDevices.Get(deviceName);
        using var w = Tensor.Persistent(device, DType.Float32, 3, 5);
        w.RequiresGrad = true;
        void Step()
        {
            using var scope = new TensorScope();
            var x = Tensor.FromArray(device, Enumerable.Range(0, 15).Select(i => i - 7f).ToArray(), 3, 5);
            var y = Elementwise.Relu(Elementwise.Add(x, w));
            y.Backward(Elementwise.Fill(device, 1f, 3, 5));
        }
        Step();
        var before = device.Pool.DeviceAllocations;
        var live = device.Pool.LiveBuffers;
        for (int i = 0; i < 3; i++) Step();
        Assert.Equal(before, device.Pool.DeviceAllocations);
        Assert.Equal(live, device.Pool.LiveBuffers);
    }

    [Fact]
    public void GradientsAccumulateUntilZeroGrad()
    {
        var device = TestDevices.Get("cpu");
        using var w = Tensor.Persistent(device, DType.Float32, 4);
        w.RequiresGrad = true;
        using (new TensorScope())
        {
            for (int i = 0; i < 2; i++)
            {
                var x = Tensor.FromArray(device, [1f, -2f, 3f, 4f], 4);
                Elementwise.Add(x, w).Backward(Tensor.FromArray(device, [1f, 2f, 3f, 4f], 4));
            }
        }
        Assert.Equal([2f, 4f, 6f, 8f], w.Grad!.ToArray());
        w.ZeroGrad();
        Assert.Equal([0f, 0f, 0f, 0f], w.Grad!.ToArray());
    }

    [Fact]
    public void NoGradRecordsNothing()
    {
        var device = TestDevices.Get("cpu");
        using var w = Tensor.Persistent(device, DType.Float32, 4);
        w.RequiresGrad = true;
        using var scope = new TensorScope();
        Tensor y;
        using (GradMode.NoGrad()) y = Elementwise.Relu(Elementwise.Add(w, w));
        Assert.Null(y.GradFn);
        Assert.False(y.RequiresGrad);
        var z = Elementwise.Add(w, w);
        Assert.NotNull(z.GradFn);
    }

    [Fact]
    public void AUsedTwiceGetsBothGradients()
    {
        var device = TestDevices.Get("cpu");
        using var scope = new TensorScope();
        var a = Tensor.FromArray(device, [1f, -1f], 2);
        a.RequiresGrad = true;
        Elementwise.Add(a, Elementwise.Relu(a)).Backward(Tensor.FromArray(device, [1f, 1f], 2));
        Assert.Equal([2f, 1f], a.Grad!.ToArray());
        a.Dispose();
    }
}
