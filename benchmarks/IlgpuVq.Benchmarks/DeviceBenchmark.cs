using BenchmarkDotNet.Attributes;
using IlgpuVq.Engine.Devices;
using IlgpuVq.Engine.Tensors;

namespace IlgpuVq.Benchmarks;

/// <summary>
/// Base of every op benchmark: a [Params] over the device, seeded persistent inputs made in [GlobalSetup], and
/// <see cref="Sync"/> to call at the end of each invocation so the measured time includes the device work.
/// To add a benchmark (e.g. the VQ codebook search [8192,64]·[512,64]ᵀ, planned as <c>CodebookBenchmarks.cs</c> next to
/// <see cref="GemmBenchmarks"/>): derive from this class, build inputs with <see cref="Seeded"/> in a [GlobalSetup] that calls
/// <see cref="Open"/>, run the op inside a <c>TensorScope</c>, call <see cref="Sync"/>, and put [Flops(...)] on the method.
/// </summary>
public abstract class DeviceBenchmark
{
    [Params("cpu", "cpu-sim", "cpu-sim:nvidia")]
    public string Device { get; set; } = "cpu";

    protected ComputeDevice Dev { get; private set; } = null!;

    protected void Open() => Dev = DeviceCatalog.Open(Device);

    /// <summary>A persistent tensor of uniform values in [-scale, scale), deterministic for <paramref name="seed"/>.</summary>
    protected Tensor Seeded(int seed, float scale, params int[] shape) => Seeded(Dev, seed, scale, shape);

    /// <summary>The same on <paramref name="device"/>, for the benchmarks of one device only.</summary>
    internal static Tensor Seeded(ComputeDevice device, int seed, float scale, params int[] shape)
    {
        var rng = new Random(seed);
        var data = new float[Shape.Size(shape)];
        for (int i = 0; i < data.Length; i++) data[i] = (float)(rng.NextDouble() * 2 - 1) * scale;
        var t = Tensor.Persistent(device, DType.Float32, shape);
        t.CopyFrom(data);
        return t;
    }

    /// <summary>Waits for all queued device work (end of every invocation).</summary>
    protected void Sync() => Dev.Synchronize();
}
