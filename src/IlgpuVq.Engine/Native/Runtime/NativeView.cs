using ILGPU;
using ILGPU.Runtime;

namespace IlgpuVq.Engine.Native;

/// <summary>
/// Raw pointers into views of the native backend's memory (host memory owned by an ILGPU CPU accelerator, which never
/// moves). Only native kernels call these; a view of GPU memory must never reach them.
/// </summary>
public static unsafe class NativeView
{
    public static float* Ptr(ArrayView<float> view) => (float*)view.LoadEffectiveAddressAsPtr();
    public static int* Ptr(ArrayView<int> view) => (int*)view.LoadEffectiveAddressAsPtr();
    public static uint* Ptr(ArrayView<uint> view) => (uint*)view.LoadEffectiveAddressAsPtr();

    /// <summary>The view as a span (length checked: views here are far below 2³¹ elements).</summary>
    public static Span<float> Span(ArrayView<float> view) => new(Ptr(view), checked((int)view.Length));
    public static Span<int> Span(ArrayView<int> view) => new(Ptr(view), checked((int)view.Length));
}
