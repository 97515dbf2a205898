using System.Reflection;
using BenchmarkDotNet.Running;

namespace IlgpuVq.Benchmarks;

/// <summary>Floating-point operations done by one invocation of a [Benchmark] method (multiply and add count as two).</summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class FlopsAttribute(double flops) : Attribute
{
    public double Flops { get; } = flops;
}

/// <summary>GFLOP/s = <see cref="FlopsAttribute.Flops"/> / mean time of the invocation.</summary>
public sealed class GflopsColumn() : RateColumn("GFLOP/s", "Billions of floating-point operations per second (FLOPs of the invocation / mean time)", 10, "F3")
{
    protected override double? Work(BenchmarkCase benchmarkCase) => benchmarkCase.Descriptor.WorkloadMethod.GetCustomAttribute<FlopsAttribute>()?.Flops;
}
