using System.Runtime.Intrinsics;
using ILGPU;
using IlgpuVq.Engine.Ops;
using IlgpuVq.Kernels;
using V = ILGPU.ArrayView<float>;

namespace IlgpuVq.Engine.Native;

/// <summary>
/// Native classifier-free guidance (<see cref="GuidanceKernels"/>): a 16-lane <see cref="SimdMap"/> loop over the conditional
/// half and the null half of the stacked logits with the kernel's exact arithmetic (−, ×, +; no FMA), so results equal the
/// kernel's bit for bit.
/// </summary>
public static unsafe class GuidanceNative
{
    internal static void Register(NativeRegistry r) => r.Add(Guidance.MixKernel, Mix);

    /// <summary>See <see cref="GuidanceKernels.Mix"/>: y[i] = x[half + i] + scale·(x[i] − x[half + i]) for i &lt; total.</summary>
    public static void Mix(Index1D thread, int total, int stride, V x, int half, float scale, V y)
    {
        float* p = NativeView.Ptr(x);
        SimdMap.Binary(p, p + half, NativeView.Ptr(y), total, new Guided(scale));
    }

    /// <summary>u + scale·(c − u) for conditional c and unconditional u.</summary>
    readonly struct Guided(float scale) : IBinaryOp
    {
        public Vector512<float> Apply(Vector512<float> c, Vector512<float> u) => u + Vector512.Create(scale) * (c - u);
        public Vector256<float> Apply(Vector256<float> c, Vector256<float> u) => u + Vector256.Create(scale) * (c - u);
        public float Apply(float c, float u) => u + scale * (c - u);
    }
}
