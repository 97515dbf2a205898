using IlgpuVq.Engine.Devices;

namespace IlgpuVq.Tests;

/// <summary>
/// The accelerators every kernel test runs on: ILGPU's CPU accelerator in its default small-warp simulator
/// shape and in an NVIDIA-like warp-32 shape. Kernels must not assume either.
/// </summary>
public static class TestDevices
{
    public static readonly string[] Names = ["cpu", "cpu:nvidia"];

    public static ComputeDevice Get(string name) => DeviceCatalog.Open(name);

    public static IEnumerable<object[]> All => Names.Select(n => new object[] { n });
}
