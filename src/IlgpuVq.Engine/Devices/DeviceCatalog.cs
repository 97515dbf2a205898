using ILGPU;
using ILGPU.Runtime;
using ILGPU.Runtime.CPU;
using ILGPU.Runtime.Cuda;
using ILGPU.Runtime.OpenCL;

namespace IlgpuVq.Engine.Devices;

/// <summary>One entry in the list of accelerators this process can use.</summary>
/// <param name="Name">The name users pass to <c>--device</c>, e.g. <c>cpu</c>, <c>cpu-sim:nvidia</c>, <c>cuda:0</c>.</param>
/// <param name="Backend"><c>native</c> (hand-written SIMD C#) or <c>ilgpu</c> (kernels compiled by ILGPU).</param>
public sealed record DeviceInfo(string Name, string Backend, AcceleratorType Type, string Description, long MemoryBytes, int WarpSize, int MaxGroupSize);

/// <summary>
/// The process-wide ILGPU <see cref="Context"/> (exactly one per process, created with
/// <c>EnableAlgorithms()</c>) and the accelerators it offers, by user-facing name:
/// <list type="bullet">
/// <item><c>cpu</c>: the native CPU backend (<see cref="Native.NativeCpuBackend"/>: SIMD C# on all cores), the fast way to run on a CPU.</item>
/// <item><c>cpu-sim</c>: ILGPU's CPU accelerator with its default (small-warp) simulator shape, for debugging the GPU kernels.</item>
/// <item><c>cpu-sim:nvidia</c>: the CPU accelerator simulating an NVIDIA-like warp of 32 threads.</item>
/// <item><c>cuda:N</c>, <c>opencl:N</c>: GPUs, when a driver offers them.</item>
/// </list>
/// Devices are opened once and kept; <see cref="Open"/> returns the same <see cref="ComputeDevice"/> for the same name.
/// </summary>
public static class DeviceCatalog
{
    static readonly object Gate = new();
    static Context? context;
    static readonly Dictionary<string, ComputeDevice> Opened = new();

    /// <summary>The single ILGPU context of this process.</summary>
    public static Context Context
    {
        get
        {
            lock (Gate) return context ??= CreateContext();
        }
    }

    static Context CreateContext()
    {
        try
        {
            return Context.Create(b =>
            {
                EnableKernelInformation(b);
                b.EnableAlgorithms().Profiling().CPU(CPUDeviceKind.Default).CPU(CPUDeviceKind.Nvidia).Cuda().OpenCL();
            });
        }
        catch (Exception)
        {
            // A broken GPU driver must not stop CPU work.
            return Context.Create(b =>
            {
                EnableKernelInformation(b);
                b.EnableAlgorithms().Profiling().CPU(CPUDeviceKind.Default).CPU(CPUDeviceKind.Nvidia);
            });
        }
    }

    /// <summary>
    /// Turns on ILGPU's per-kernel information (shared and local memory sizes, reported by
    /// <c>ilgpuvq kernels</c>). ILGPU 1.5.3 has no public builder method for it, only an internal setter.
    /// </summary>
    static void EnableKernelInformation(Context.Builder builder) =>
        typeof(ContextProperties).GetProperty(nameof(ContextProperties.EnableKernelInformation))!.SetValue(builder, true);

    /// <summary>Every accelerator this process can open, CPU simulators first.</summary>
    public static IReadOnlyList<DeviceInfo> Available()
    {
        var list = new List<DeviceInfo>();
        foreach (var (name, device) in Enumerate())
        {
            if (name == NativeName)
                list.Add(new DeviceInfo(name, "native", AcceleratorType.CPU,
                    $"native SIMD C# ({Native.NativeIsa.Description}, {Native.NativeParallel.Workers} threads)", device.MemorySize, 1, 1));
            else
                list.Add(new DeviceInfo(name, "ilgpu", device.AcceleratorType, device.Name, device.MemorySize, device.WarpSize, device.MaxNumThreadsPerGroup));
        }
        return list;
    }

    static List<(string Name, Device Device)> Enumerate()
    {
        var ctx = Context;
        var list = new List<(string, Device)>();
        var cpus = ctx.GetCPUDevices();
        if (cpus.Count > 0) list.Add((NativeName, cpus[0]));
        if (cpus.Count > 0) list.Add(("cpu-sim", cpus[0]));
        if (cpus.Count > 1) list.Add(("cpu-sim:nvidia", cpus[1]));
        var cudas = ctx.GetCudaDevices();
        for (int i = 0; i < cudas.Count; i++) list.Add(($"cuda:{i}", cudas[i]));
        var cls = ctx.GetCLDevices();
        for (int i = 0; i < cls.Count; i++) list.Add(($"opencl:{i}", cls[i]));
        return list;
    }

    /// <summary>
    /// Opens a device by name: <c>auto</c> (CUDA, then OpenCL, then the native <c>cpu</c>), <c>cpu</c>, <c>cpu-sim</c>, <c>cpu-sim:nvidia</c>,
    /// <c>cuda</c>, <c>cuda:N</c>, <c>opencl</c>, <c>opencl:N</c>. Unknown or unavailable names throw
    /// <see cref="DeviceNotFoundException"/> listing what is available.
    /// </summary>
    public static ComputeDevice Open(string spec)
    {
        var name = Resolve(spec);
        lock (Gate)
        {
            if (Opened.TryGetValue(name, out var open)) return open;
            var device = Enumerate().First(d => d.Name == name).Device;
            var accelerator = device.CreateAccelerator(Context);
            var opened = name == NativeName
                ? new ComputeDevice(name, accelerator, new Native.NativeCpuBackend())
                : new ComputeDevice(name, accelerator);
            Opened[name] = opened;
            return opened;
        }
    }

    /// <summary>The native CPU backend's device name.</summary>
    public const string NativeName = "cpu";

    static string Resolve(string spec)
    {
        var names = Enumerate().Select(d => d.Name).ToList();
        var s = spec.Trim().ToLowerInvariant();
        if (s == "auto")
            return names.FirstOrDefault(n => n.StartsWith("cuda:")) ?? names.FirstOrDefault(n => n.StartsWith("opencl:")) ?? "cpu";
        if (s is "cuda" or "opencl") s += ":0";
        if (s == "cpu:nvidia") s = "cpu-sim:nvidia"; // the name before the native backend existed
        if (names.Contains(s)) return s;
        throw new DeviceNotFoundException($"device '{spec}' is not available; available: {string.Join(", ", names.Prepend("auto"))}");
    }
}

/// <summary>The requested device does not exist on this machine.</summary>
public sealed class DeviceNotFoundException(string message) : Exception(message);
