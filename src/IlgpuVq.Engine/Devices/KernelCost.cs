using ILGPU;
using IlgpuVq.Kernels;

namespace IlgpuVq.Engine.Devices;

/// <summary>
/// Work of one kernel launch for the profiler's rates: floating-point operations for the compute kernels (convolutions
/// count 2·N·Cout·OH·OW·Cin·KH·KW multiply-adds as 2 flops each, padding taps included, like PyTorch's profiler; GEMM 2·M·N·K;
/// the nearest-code search 3·rows·K·D for its subtract, multiply and add) and, for every kernel, the bytes of the views it
/// is given (an estimate of its memory traffic: exact for elementwise kernels, an upper bound where a kernel reads only
/// part of a view).
/// </summary>
public static class KernelCost
{
    /// <summary>Flops of a launch of the kernel named <paramref name="kernel"/> (<c>Family.Method</c>, see <c>KernelSlot.Name</c>)
    /// with launcher arguments <paramref name="args"/>, or 0 for memory-bound kernels.</summary>
    public static double Flops(string kernel, object[] args)
    {
        switch (kernel)
        {
            case "Conv2dKernels.Forward" or "Conv2dKernels.InputGrad" or "Conv2dKernels.WeightGrad"
                or "Conv2dSharedKernels.Forward" or "Conv2dSharedKernels.InputGrad" or "Conv2dSharedKernels.WeightGrad":
                var g = args.OfType<Conv2dGeometry>().First();
                return 2.0 * g.N * g.Cout * g.OH * g.OW * g.Cin * g.KH * g.KW;
            case "GemmKernels.Tiled": // (thread, total, stride, a, b, c, m, n, k, …)
                return 2.0 * (int)args[6] * (int)args[7] * (int)args[8];
            case "GemmKernels.SharedTiled": // (config, a, b, c, m, n, k, …)
                return 2.0 * (int)args[4] * (int)args[5] * (int)args[6];
            case "GemmKernels.Naive": // (thread, total = m·n, stride, a, b, c, n, k, …)
                return 2.0 * (int)args[1] * (int)args[7];
            case "CodebookKernels.NearestCode": // (config, z, codebook, indices, rows, codes, dim, …)
                return 3.0 * (int)args[4] * (int)args[5] * (int)args[6];
            default:
                return 0;
        }
    }

    /// <summary>Σ of the byte lengths of the views among <paramref name="args"/>.</summary>
    public static double Bytes(object[] args)
    {
        double bytes = 0;
        foreach (var a in args)
        {
            switch (a)
            {
                case ArrayView<float> f: bytes += f.LengthInBytes; break;
                case ArrayView<int> i: bytes += i.LengthInBytes; break;
                case ArrayView<uint> u: bytes += u.LengthInBytes; break;
            }
        }
        return bytes;
    }
}
