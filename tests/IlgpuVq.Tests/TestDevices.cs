using IlgpuVq.Engine.Devices;

namespace IlgpuVq.Tests;

/// <summary>
/// The devices every kernel test runs on: the native CPU backend (<c>cpu</c>) and ILGPU's CPU accelerator in its default
/// small-warp simulator shape and in an NVIDIA-like warp-32 shape. Kernels must not assume either shape.
/// </summary>
public static class TestDevices
{
    public static readonly string[] Names = ["cpu", "cpu-sim", "cpu-sim:nvidia"];

    public static ComputeDevice Get(string name) => DeviceCatalog.Open(name);

    public static IEnumerable<object[]> All => Names.Select(n => new object[] { n });
}
