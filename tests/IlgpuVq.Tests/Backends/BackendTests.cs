using System.Reflection;
using IlgpuVq.Checks;
using IlgpuVq.Engine.Devices;
using IlgpuVq.Engine.Native;

namespace IlgpuVq.Tests.Backends;

/// <summary>The device names and the kernel table of the two backends.</summary>
public class BackendTests
{
    /// <summary>Every KernelSlot field of the engine (each kernel an op launches).</summary>
    public static IEnumerable<object[]> Slots() =>
        typeof(ComputeDevice).Assembly.GetTypes()
            .SelectMany(t => t.GetFields(BindingFlags.Static | BindingFlags.Public | BindingFlags.NonPublic))
            .Where(f => f.FieldType.IsGenericType && f.FieldType.GetGenericTypeDefinition() == typeof(KernelSlot<>))
            .Select(f => new object[] { $"{f.DeclaringType!.Name}.{f.Name}" });

    static object SlotByName(string id)
    {
        var (type, field) = (id[..id.LastIndexOf('.')], id[(id.LastIndexOf('.') + 1)..]);
        var t = typeof(ComputeDevice).Assembly.GetTypes().Single(x => x.Name == type && x.GetField(field, BindingFlags.Static | BindingFlags.Public | BindingFlags.NonPublic) != null);
        return t.GetField(field, BindingFlags.Static | BindingFlags.Public | BindingFlags.NonPublic)!.GetValue(null)!;
    }

    [Theory]
    [MemberData(nameof(Slots))]
    public void EverySlotLoadsOnEveryBackend(string slotId)
    {
        var slot = SlotByName(slotId);
        var load = typeof(ComputeDevice).GetMethod(nameof(ComputeDevice.Kernel))!.MakeGenericMethod(slot.GetType().GetGenericArguments());
        var kernel = (System.Reflection.MethodInfo)slot.GetType().GetProperty("Kernel")!.GetValue(slot)!;
        bool gpuOnly = !(bool)slot.GetType().GetProperty("IsGridStride")!.GetValue(slot)! && NativeKernelTable.Find(kernel) == null;
        foreach (var name in TestDevices.Names)
        {
            var device = TestDevices.Get(name);
            if (gpuOnly && device.IsNative) // explicitly grouped, no native version: ops never launch it on cpu (SharedTiling)
            {
                var refused = Assert.Throws<TargetInvocationException>(() => load.Invoke(device, [slot]));
                Assert.IsType<NotSupportedException>(refused.InnerException);
                continue;
            }
            var loaded = load.Invoke(device, [slot]);
            Assert.IsAssignableFrom(load.ReturnType, loaded); // a launcher of the slot's delegate type
            Assert.Same(loaded, load.Invoke(device, [slot])); // loaded once per device and kept
        }
    }

    [Fact]
    public void SlotsAreFoundAtAll() => Assert.True(Slots().Count() > 60, $"only {Slots().Count()} kernel slots found");

    /// <summary>A slot's launcher type must match its kernel: (KernelConfig, …its parameters) for an explicitly grouped one,
    /// the kernel's own signature for a grid-stride one (else no conversion exists and it does not compile).</summary>
    [Fact]
    public void GroupedSlotWithTheWrongLauncherFailsAtDeclaration()
    {
        var error = Assert.Throws<ArgumentException>(() => new KernelSlot<Action<ILGPU.KernelConfig, int>>(IlgpuVq.Kernels.CodebookKernels.NearestCode));
        Assert.Contains("CodebookKernels.NearestCode", error.Message);
    }

    [Fact]
    public void CpuIsNativeAndSimulatorsAreIlgpu()
    {
        Assert.True(DeviceCatalog.Open("cpu").IsNative);
        Assert.Equal("native", DeviceCatalog.Open("cpu").Backend.Name);
        Assert.Equal("ilgpu", DeviceCatalog.Open("cpu-sim").Backend.Name);
        Assert.Equal("ilgpu", DeviceCatalog.Open("cpu-sim:nvidia").Backend.Name);
        Assert.Equal(32, DeviceCatalog.Open("cpu-sim:nvidia").WarpSize);
        Assert.Same(DeviceCatalog.Open("cpu-sim:nvidia"), DeviceCatalog.Open("cpu:nvidia")); // the old name still works
    }

    [Fact]
    public void AutoPrefersGpusThenNativeCpu()
    {
        var names = DeviceCatalog.Available().Select(d => d.Name).ToList();
        var auto = DeviceCatalog.Open("auto").Name;
        string expected = names.FirstOrDefault(n => n.StartsWith("cuda:")) ?? names.FirstOrDefault(n => n.StartsWith("opencl:")) ?? "cpu";
        Assert.Equal(expected, auto);
    }

    [Fact]
    public void DevicesListsBothCpuBackends()
    {
        var list = DeviceCatalog.Available();
        Assert.Contains(list, d => d.Name == "cpu" && d.Backend == "native");
        Assert.Contains(list, d => d.Name == "cpu-sim" && d.Backend == "ilgpu");
        Assert.Contains(list, d => d.Name == "cpu-sim:nvidia" && d.Backend == "ilgpu");
    }

    [Fact]
    public void UnknownDeviceNamesListTheAvailableOnes()
    {
        var e = Assert.Throws<DeviceNotFoundException>(() => DeviceCatalog.Open("tpu"));
        Assert.Contains("cpu-sim", e.Message);
    }

    [Fact]
    public void ThreadCountMustBePositive()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => NativeParallel.Workers = 0);
    }

    /// <summary>Every op check's forward and gradients agree between the native backend and ILGPU's CPU simulator.</summary>
    public static IEnumerable<object[]> Cases() => OpCatalog.All.Select(c => new object[] { c.Id });

    [Theory]
    [MemberData(nameof(Cases))]
    public void NativeAgreesWithSimulator(string caseId)
    {
        var failure = BackendAgreement.Compare(OpCatalog.Get(caseId), DeviceCatalog.Open("cpu"), DeviceCatalog.Open("cpu-sim"));
        Assert.True(failure == null, failure);
    }
}
