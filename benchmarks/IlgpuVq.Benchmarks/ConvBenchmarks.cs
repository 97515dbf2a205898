using BenchmarkDotNet.Attributes;
using IlgpuVq.Engine.Memory;
using IlgpuVq.Engine.Ops;
using IlgpuVq.Engine.Tensors;

namespace IlgpuVq.Benchmarks;

/// <summary>
/// The VQ-VAE's convolution shapes. FLOPs count 2 per multiply-add of the dense formula (padding taps included):
/// conv 2·N·Cout·OH·OW·Cin·kH·kW; its backward (input + weight gradients) twice that; conv_transpose 2·N·Cin·H·W·Cout·kH·kW.
/// </summary>
public class ConvBenchmarks : DeviceBenchmark
{
    // conv2d 128→128, k3 s1 p1, x [32,128,16,16] → [32,128,16,16]
    const double Conv3Flops = 2.0 * 32 * 128 * 16 * 16 * 128 * 3 * 3;
    // conv2d 64→128, k4 s2 p1, x [32,64,32,32] → [32,128,16,16]
    const double Down4Flops = 2.0 * 32 * 128 * 16 * 16 * 64 * 4 * 4;
    // the first encoder layer, odd channel count: conv2d 3→64, k4 s2 p1, x [32,3,64,64] → [32,64,32,32]
    const double FirstFlops = 2.0 * 32 * 64 * 32 * 32 * 3 * 4 * 4;
    // conv_transpose2d 128→64, k4 s2 p1, x [32,128,16,16] → [32,64,32,32]
    const double Up4Flops = 2.0 * 32 * 128 * 16 * 16 * 64 * 4 * 4;

    Tensor x3 = null!, w3 = null!, b3 = null!, g3 = null!, xd = null!, wd = null!, bd = null!, xu = null!, wu = null!, bu = null!;
    Tensor xf = null!, wf = null!, bf = null!;

    [GlobalSetup]
    public void Setup()
    {
        Open();
        x3 = Seeded(1, 1f, 32, 128, 16, 16);
        w3 = Seeded(2, 0.03f, 128, 128, 3, 3);
        b3 = Seeded(3, 0.1f, 128);
        g3 = Seeded(4, 1f, 32, 128, 16, 16);
        xd = Seeded(5, 1f, 32, 64, 32, 32);
        wd = Seeded(6, 0.03f, 128, 64, 4, 4);
        bd = Seeded(7, 0.1f, 128);
        xu = Seeded(8, 1f, 32, 128, 16, 16);
        wu = Seeded(9, 0.03f, 128, 64, 4, 4);
        bu = Seeded(10, 0.1f, 64);
        xf = Seeded(11, 1f, 32, 3, 64, 64);
        wf = Seeded(12, 0.1f, 64, 3, 4, 4);
        bf = Seeded(13, 0.1f, 64);
        Sync();
    }

    [Benchmark(Description = "Conv2d 128->128 k3p1 [32,128,16,16] fwd"), Flops(Conv3Flops)]
    public void Conv3Forward()
    {
        using (new TensorScope()) Conv2d.Apply(x3, w3, b3, 1, 1);
        Sync();
    }

    /// <summary>
    /// Forward, then input and weight gradients through autograd (the bias does not require grad); FLOPs: all three convolutions.
    /// The time includes the engine's accumulation of the 1M-element x gradient into x.Grad (an elementwise kernel, slow on
    /// ILGPU's CPU accelerator, which simulates one thread per element); the two benchmarks below isolate the gradient kernels.
    /// </summary>
    [Benchmark(Description = "Conv2d 128->128 k3p1 fwd+bwd(dx,dw)"), Flops(3 * Conv3Flops)]
    public void Conv3ForwardBackward()
    {
        x3.RequiresGrad = true;
        w3.RequiresGrad = true;
        using (new TensorScope()) Conv2d.Apply(x3, w3, b3, 1, 1).Backward(g3);
        x3.RequiresGrad = false;
        w3.RequiresGrad = false;
        Sync();
    }

    /// <summary>
    /// conv2d's input gradient for the 128→128 k3 p1 shape without autograd: conv_transpose2d(dy, w) with stride 1, padding 1
    /// is exactly dx = conv2dᵀ(dy) and runs the same kernel (<c>Conv2dKernels.InputGrad</c>).
    /// </summary>
    [Benchmark(Description = "Conv2d 128->128 k3p1 dx kernel only"), Flops(Conv3Flops)]
    public void Conv3InputGrad()
    {
        using (new TensorScope()) ConvTranspose2d.Apply(g3, w3, null, 1, 1);
        Sync();
    }

    /// <summary>Forward plus the weight gradient only (x does not require grad; w.Grad is 147k elements).</summary>
    [Benchmark(Description = "Conv2d 128->128 k3p1 fwd+dw"), Flops(2 * Conv3Flops)]
    public void Conv3ForwardWeightGrad()
    {
        w3.RequiresGrad = true;
        using (new TensorScope()) Conv2d.Apply(x3, w3, b3, 1, 1).Backward(g3);
        w3.RequiresGrad = false;
        Sync();
    }

    [Benchmark(Description = "Conv2d 64->128 k4s2p1 [32,64,32,32] fwd"), Flops(Down4Flops)]
    public void Down4Forward()
    {
        using (new TensorScope()) Conv2d.Apply(xd, wd, bd, 2, 1);
        Sync();
    }

    [Benchmark(Description = "Conv2d 3->64 k4s2p1 [32,3,64,64] fwd (odd Cin)"), Flops(FirstFlops)]
    public void FirstForward()
    {
        using (new TensorScope()) Conv2d.Apply(xf, wf, bf, 2, 1);
        Sync();
    }

    [Benchmark(Description = "ConvT2d 128->64 k4s2p1 [32,128,16,16] fwd"), Flops(Up4Flops)]
    public void Up4Forward()
    {
        using (new TensorScope()) ConvTranspose2d.Apply(xu, wu, bu, 2, 1);
        Sync();
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        foreach (var t in new[] { x3, w3, b3, g3, xd, wd, bd, xu, wu, bu, xf, wf, bf }) t.Dispose();
    }
}
