using System.Reflection;
using System.Reflection.Emit;
using IlgpuVq.Engine.Codegen;
using IlgpuVq.Engine.Native;

namespace IlgpuVq.Tests.Backends;

/// <summary>
/// The contract <see cref="HostGrid"/> relies on: a grid-stride kernel that the native backend runs from its own body
/// reads <c>total</c> (argument 1) and <c>stride</c> (argument 2) exactly once each — as the bound and the step of its
/// loop — so launching it as (thread = start, total = end, stride = 1) runs exactly the items [start, end). Checked on the
/// kernels' IL; a kernel that also uses <c>total</c> as a value would compute something else on <c>cpu</c>.
/// </summary>
public class HostGridContractTests
{
    public static IEnumerable<object[]> HostRunKernels() =>
        KernelCatalog.All.Where(k => k.ImplicitlyGrouped && NativeKernelTable.Find(k.Method) == null).Select(k => new object[] { k.Name });

    [Theory]
    [MemberData(nameof(HostRunKernels))]
    public void TotalAndStrideAreOnlyTheLoopBoundAndStep(string name)
    {
        var method = KernelCatalog.All.Single(k => k.Name == name).Method;
        var reads = ArgumentReads(method);
        Assert.Equal(1, reads.GetValueOrDefault(1));
        Assert.Equal(1, reads.GetValueOrDefault(2));
    }

    [Fact]
    public void SomeKernelsRunFromTheirBodies() => Assert.NotEmpty(HostRunKernels());

    /// <summary>A kernel breaking the contract (it stores <c>total</c>): the IL check sees the second read.</summary>
    static void WritesTotal(ILGPU.Index1D thread, int total, int stride, ILGPU.ArrayView<float> y)
    {
        for (long item = thread; item < total; item += stride) y[item] = total;
    }

    [Fact]
    public void TheCheckSeesAKernelThatUsesTotalAsAValue()
    {
        var reads = ArgumentReads(typeof(HostGridContractTests).GetMethod(nameof(WritesTotal), BindingFlags.NonPublic | BindingFlags.Static)!);
        Assert.Equal(2, reads[1]);
        Assert.Equal(1, reads[2]);
    }

    static readonly Dictionary<short, OpCode> OpCodesByValue = typeof(OpCodes).GetFields(BindingFlags.Public | BindingFlags.Static)
        .Select(f => (OpCode)f.GetValue(null)!).ToDictionary(o => o.Value);

    /// <summary>How often each argument index is loaded (by value or address) in <paramref name="method"/>'s IL.</summary>
    static Dictionary<int, int> ArgumentReads(MethodInfo method)
    {
        var il = method.GetMethodBody()!.GetILAsByteArray()!;
        var reads = new Dictionary<int, int>();
        void Read(int arg) => reads[arg] = reads.GetValueOrDefault(arg) + 1;
        for (int i = 0; i < il.Length;)
        {
            short value = il[i] == 0xFE ? (short)(0xFE00 | il[i + 1]) : il[i];
            var op = OpCodesByValue[value];
            i += op.Size;
            if (op == OpCodes.Ldarg_0) Read(0);
            else if (op == OpCodes.Ldarg_1) Read(1);
            else if (op == OpCodes.Ldarg_2) Read(2);
            else if (op == OpCodes.Ldarg_3) Read(3);
            else if (op == OpCodes.Ldarg_S || op == OpCodes.Ldarga_S) Read(il[i]);
            else if (op == OpCodes.Ldarg || op == OpCodes.Ldarga) Read(BitConverter.ToUInt16(il, i));
            i += OperandSize(op, il, i);
        }
        return reads;
    }

    static int OperandSize(OpCode op, byte[] il, int at) => op.OperandType switch
    {
        OperandType.InlineNone => 0,
        OperandType.ShortInlineBrTarget or OperandType.ShortInlineI or OperandType.ShortInlineVar => 1,
        OperandType.InlineVar => 2,
        OperandType.InlineI8 or OperandType.InlineR => 8,
        OperandType.InlineSwitch => 4 + 4 * BitConverter.ToInt32(il, at),
        _ => 4,
    };
}
