using ILGPU;
using ILGPU.Runtime;
using IlgpuVq.Engine.Autograd;
using IlgpuVq.Engine.Devices;
using IlgpuVq.Engine.Memory;

namespace IlgpuVq.Engine.Tensors;

/// <summary>
/// A contiguous NCHW tensor of float32 or int32 in device memory. Device memory is not seen by .NET's GC:
/// a tensor returns its buffer to the device's pool when disposed, either explicitly or by the
/// <see cref="TensorScope"/> it was created in. Host copies happen only in <see cref="ToArray"/>,
/// <see cref="ToIntArray"/>, <see cref="Item"/> and the <c>From*</c> factories.
/// </summary>
public sealed class Tensor : IDisposable
{
    MemoryBuffer1D<float, Stride1D.Dense>? buffer;

    Tensor(ComputeDevice device, int[] shape, DType dtype, bool scoped)
    {
        foreach (var d in shape)
            if (d < 0) throw new ArgumentException($"negative dimension in shape [{string.Join(",", shape)}]");
        Device = device;
        Shape = shape;
        DType = dtype;
        Length = Tensors.Shape.Size(shape);
        buffer = device.Pool.Rent(Length);
        if (scoped) TensorScope.Register(this);
    }

    public ComputeDevice Device { get; }
    /// <summary>Dimensions, outermost first (NCHW for images). Do not mutate.</summary>
    public int[] Shape { get; }
    public DType DType { get; }
    /// <summary>Number of elements.</summary>
    public int Length { get; }
    public int Rank => Shape.Length;
    /// <summary>Optional name (parameters carry their state-dict key).</summary>
    public string? Name { get; set; }

    /// <summary>Whether gradients flow to this tensor (true for parameters and for results of ops on them).</summary>
    public bool RequiresGrad { get; set; }
    /// <summary>Accumulated gradient of a leaf tensor (a parameter); null until the first backward pass.</summary>
    public Tensor? Grad { get; internal set; }
    /// <summary>The recorded operation that produced this tensor, or null for leaves and no-grad results.</summary>
    public GradNode? GradFn { get; internal set; }
    public bool IsDisposed => buffer == null;

    /// <summary>The float32 elements on the device.</summary>
    public ArrayView<float> View
    {
        get
        {
            if (DType != DType.Float32) throw new InvalidOperationException($"tensor {Describe()} is {DType}, not Float32");
            return ((ArrayView<float>)Buffer.View).SubView(0, Length);
        }
    }

    /// <summary>The int32 elements on the device.</summary>
    public ArrayView<int> IntView
    {
        get
        {
            if (DType != DType.Int32) throw new InvalidOperationException($"tensor {Describe()} is {DType}, not Int32");
            return ((ArrayView<float>)Buffer.View).SubView(0, Length).Cast<int>();
        }
    }

    MemoryBuffer1D<float, Stride1D.Dense> Buffer => buffer ?? throw new ObjectDisposedException($"tensor {Describe()}");

    /// <summary>An uninitialised tensor (contents undefined), owned by the current scope if there is one.</summary>
    public static Tensor Empty(ComputeDevice device, params int[] shape) => new(device, (int[])shape.Clone(), DType.Float32, scoped: true);
    /// <summary>An uninitialised int32 tensor, owned by the current scope if there is one.</summary>
    public static Tensor EmptyInt(ComputeDevice device, params int[] shape) => new(device, (int[])shape.Clone(), DType.Int32, scoped: true);

    /// <summary>A tensor outside any scope: it lives until disposed explicitly (parameters, optimizer state, gradients).</summary>
    public static Tensor Persistent(ComputeDevice device, DType dtype, params int[] shape)
    {
        var t = new Tensor(device, (int[])shape.Clone(), dtype, scoped: false);
        t.Zero();
        return t;
    }

    public static Tensor Zeros(ComputeDevice device, params int[] shape)
    {
        var t = Empty(device, shape);
        t.Zero();
        return t;
    }

    public static Tensor ZerosInt(ComputeDevice device, params int[] shape)
    {
        var t = EmptyInt(device, shape);
        t.Zero();
        return t;
    }

    /// <summary>Copies host data to a new device tensor (a host edge).</summary>
    public static Tensor FromArray(ComputeDevice device, float[] data, params int[] shape)
    {
        CheckLength(data.Length, shape);
        var t = Empty(device, shape);
        if (data.Length > 0) t.View.CopyFromCPU(device.Accelerator.DefaultStream, data);
        return t;
    }

    /// <summary>Copies host int32 data to a new device tensor (a host edge).</summary>
    public static Tensor FromIntArray(ComputeDevice device, int[] data, params int[] shape)
    {
        CheckLength(data.Length, shape);
        var t = EmptyInt(device, shape);
        if (data.Length > 0) t.IntView.CopyFromCPU(device.Accelerator.DefaultStream, data);
        return t;
    }

    static void CheckLength(int length, int[] shape)
    {
        if (Tensors.Shape.Size(shape) != length)
            throw new ArgumentException($"{length} values do not fill shape [{string.Join(",", shape)}]");
    }

    /// <summary>Overwrites this tensor with host data of the same length (a host edge).</summary>
    public void CopyFrom(float[] data)
    {
        CheckLength(data.Length, Shape);
        if (data.Length > 0) View.CopyFromCPU(Device.Accelerator.DefaultStream, data);
    }

    /// <summary>Overwrites this int32 tensor with host data of the same length (a host edge).</summary>
    public void CopyFrom(int[] data)
    {
        CheckLength(data.Length, Shape);
        if (data.Length > 0) IntView.CopyFromCPU(Device.Accelerator.DefaultStream, data);
    }

    /// <summary>Copies the elements to the host; waits for queued work.</summary>
    public float[] ToArray()
    {
        var host = new float[Length];
        if (Length > 0) View.CopyToCPU(Device.Accelerator.DefaultStream, host);
        Device.Accelerator.DefaultStream.Synchronize();
        return host;
    }

    /// <summary>Copies the int32 elements to the host; waits for queued work.</summary>
    public int[] ToIntArray()
    {
        var host = new int[Length];
        if (Length > 0) IntView.CopyToCPU(Device.Accelerator.DefaultStream, host);
        Device.Accelerator.DefaultStream.Synchronize();
        return host;
    }

    /// <summary>The single value of a one-element tensor, copied to the host.</summary>
    public float Item()
    {
        if (Length != 1) throw new InvalidOperationException($"Item() needs one element, tensor {Describe()} has {Length}");
        return ToArray()[0];
    }

    /// <summary>Sets every element to zero (queued on the device).</summary>
    public void Zero() => Buffer.View.SubView(0, Math.Max(1, Length)).MemSetToZero(Device.Accelerator.DefaultStream);

    /// <summary>Backpropagates from this scalar (or with an explicit upstream gradient of this tensor's shape).</summary>
    public void Backward(Tensor? gradOutput = null) => Backprop.Run(this, gradOutput);

    /// <summary>Drops the accumulated gradient's values (sets them to zero).</summary>
    public void ZeroGrad() => Grad?.Zero();

    /// <summary>A new tensor with this one's shape and a copy of its data, outside autograd.</summary>
    public Tensor Clone()
    {
        var t = new Tensor(Device, (int[])Shape.Clone(), DType, scoped: true);
        if (Length > 0) t.Buffer.View.SubView(0, Length).CopyFrom(Device.Accelerator.DefaultStream, Buffer.View.SubView(0, Length));
        return t;
    }

    /// <summary>Copies another tensor's data of the same shape and type into this one (queued on the device).</summary>
    public void CopyFrom(Tensor source)
    {
        if (source.Length != Length || source.DType != DType)
            throw new ArgumentException($"cannot copy {source.Describe()} into {Describe()}");
        if (Length > 0) Buffer.View.SubView(0, Length).CopyFrom(Device.Accelerator.DefaultStream, source.Buffer.View.SubView(0, Length));
    }

    public string Describe() => $"{Name ?? DType.ToString()}[{string.Join(",", Shape)}]";
    public override string ToString() => Describe();

    public void Dispose()
    {
        if (buffer == null) return;
        Device.Pool.Return(buffer);
        buffer = null;
        if (Grad != null) { Grad.Dispose(); Grad = null; }
        GradFn = null;
    }

    internal void SetGrad(Tensor grad) => Grad = grad;
}
