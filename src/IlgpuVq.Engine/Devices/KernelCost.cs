using System.Reflection;
using ILGPU;

namespace IlgpuVq.Engine.Devices;

/// <summary>
/// Work of one kernel launch for the profiler's rates. The floating-point operations of a compute kernel are declared with
/// its <see cref="KernelSlot{T}"/> (convolutions count 2·N·Cout·OH·OW·Cin·KH·KW multiply-adds as 2 flops each, padding taps
/// included, like PyTorch's profiler; GEMM 2·M·N·K; the nearest-code search 3·rows·K·D for its subtract, multiply and add),
/// as a function of the kernel's parameters by name or type, bound to the kernel when the slot is made: a parameter that
/// does not exist fails there, so renaming a kernel or a parameter cannot silently drop its GFLOP/s column. Kernels without
/// a cost are memory-bound (0 flops). For every kernel the bytes are those of the views it is given (<see cref="Bytes"/>:
/// an estimate of its memory traffic, exact for elementwise kernels, an upper bound where a kernel reads only part of a view).
/// </summary>
public sealed class KernelCost
{
    readonly Func<MethodInfo, int, Func<object[], double>> bind;

    KernelCost(Func<MethodInfo, int, Func<object[], double>> bind) => this.bind = bind;

    /// <summary><paramref name="factor"/> × the product of the kernel's <c>int</c> parameters named <paramref name="parameters"/>
    /// (<c>total</c>, the launch's work items, included), e.g. <c>Product(2, "m", "n", "k")</c> for a GEMM.</summary>
    public static KernelCost Product(double factor, params string[] parameters) => new((kernel, offset) =>
    {
        var indices = parameters.Select(name => offset + IndexOf(kernel, p => p.Name == name && p.ParameterType == typeof(int), $"an int parameter named {name}")).ToArray();
        return args =>
        {
            double flops = factor;
            foreach (int i in indices) flops *= (int)args[i];
            return flops;
        };
    });

    /// <summary><paramref name="flops"/> of the kernel's one parameter of type <typeparamref name="TShape"/> (a geometry struct).</summary>
    public static KernelCost Of<TShape>(Func<TShape, double> flops) where TShape : struct => new((kernel, offset) =>
    {
        int index = offset + IndexOf(kernel, p => p.ParameterType == typeof(TShape), $"one parameter of type {typeof(TShape).Name}");
        return args => flops((TShape)args[index]);
    });

    /// <summary>The flop count of <paramref name="kernel"/>'s launches as a function of the launcher's arguments; the launcher
    /// takes <paramref name="offset"/> arguments before the kernel's own (1, the <c>KernelConfig</c>, for an explicitly grouped kernel).</summary>
    internal Func<object[], double> Bind(MethodInfo kernel, int offset) => bind(kernel, offset);

    static int IndexOf(MethodInfo kernel, Func<ParameterInfo, bool> match, string what)
    {
        var found = kernel.GetParameters().Where(match).ToArray();
        if (found.Length != 1)
            throw new ArgumentException($"cost of {kernel.DeclaringType?.Name}.{kernel.Name}: needs exactly {what}, the kernel has {found.Length}");
        return found[0].Position;
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
