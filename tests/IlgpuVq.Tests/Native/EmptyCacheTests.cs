using IlgpuVq.Engine.Native;
using IlgpuVq.Engine.Ops;
using IlgpuVq.Engine.Tensors;
using static IlgpuVq.Tests.Native.NativeTestKit;

namespace IlgpuVq.Tests.Native;

/// <summary><see cref="Engine.Devices.ComputeDevice.EmptyCache"/> on the native device (cached buffers and scratch go, live
/// tensors and results stay) and the pool's reuse of larger free buffers for smaller requests.</summary>
public class EmptyCacheTests
{
    [Fact]
    public void FreesCachedBuffersAndKeepsLiveTensors()
    {
        var device = Device;
        var data = Random(1, 4099);
        using var live = Tensor.FromArray(device, data, data.Length);
        Tensor.FromArray(device, Random(2, 12347), 12347).Dispose(); // a size nothing else uses, now cached
        int liveBuffers = device.Pool.LiveBuffers;
        long reserved = device.Pool.BytesReserved;

        long released = device.EmptyCache();

        Assert.True(released >= 12347 * 4, $"released {released} bytes");
        Assert.True(device.Pool.BytesReserved <= reserved - 12347 * 4);
        Assert.Equal(liveBuffers, device.Pool.LiveBuffers);
        Assert.Equal(data, live.ToArray());
        long allocations = device.Pool.DeviceAllocations;
        Tensor.FromArray(device, Random(3, 12347), 12347).Dispose();
        Assert.Equal(allocations + 1, device.Pool.DeviceAllocations); // the size was forgotten: allocated anew
    }

    [Fact]
    public void ReleasesScratchAndConvolutionsGiveTheSameBitsAfterward()
    {
        var device = Device;
        using var x = Tensor.FromArray(device, Random(4, 2 * 5 * 9 * 9), 2, 5, 9, 9);
        using var w = Tensor.FromArray(device, Random(5, 7 * 5 * 3 * 3), 7, 5, 3, 3);
        float[] Run()
        {
            using var y = Conv2d.Apply(x, w, null, 2, 1);
            return y.ToArray();
        }
        var before = Run();
        Assert.True(NativeScratch.ReleaseAll() > 0); // the convolution's column buffer
        Assert.Equal(0, NativeScratch.ReleaseAll());
        BitEqual(before, Run());
        device.EmptyCache();
        BitEqual(before, Run());
    }

    [Fact]
    public void SmallerRequestsReuseLargerFreeBuffersUpToTheLimit()
    {
        var device = Device;
        device.EmptyCache();
        Tensor.FromArray(device, Random(6, 1000), 1000).Dispose();
        long allocations = device.Pool.DeviceAllocations;
        var data = Random(7, 300);
        using (var small = Tensor.FromArray(device, data, 300))
        {
            Assert.Equal(allocations, device.Pool.DeviceAllocations); // served by the free 1000-element buffer
            Assert.Equal(300, small.View.Length);
            Assert.Equal(data, small.ToArray());
        }
        Tensor.FromArray(device, Random(8, 1000 / BufferPoolLimit - 1), 1000 / BufferPoolLimit - 1).Dispose();
        Assert.Equal(allocations + 1, device.Pool.DeviceAllocations); // more than MaxOversize times smaller: a buffer of its own
    }

    [Fact]
    public void ASmallerBatchAfterAFullOneAllocatesNothing()
    {
        var device = Device;
        device.EmptyCache();
        using var w = Tensor.FromArray(device, Random(9, 6 * 3 * 3 * 3), 6, 3, 3, 3);
        void Batch(int n)
        {
            using var scope = new Engine.Memory.TensorScope();
            var x = Tensor.FromArray(device, Random(10, n * 3 * 8 * 8), n, 3, 8, 8);
            Conv2d.Apply(x, w, null, 1, 1).ToArray();
        }
        Batch(4);
        long allocations = device.Pool.DeviceAllocations;
        Batch(3);
        Batch(1);
        Assert.Equal(allocations, device.Pool.DeviceAllocations);
    }

    const int BufferPoolLimit = Engine.Memory.BufferPool.MaxOversize;
}
