using IlgpuVq.Engine.Ops;
using IlgpuVq.Engine.Tensors;

namespace IlgpuVq.Engine.Autograd;

/// <summary>Records op results on the tape and runs reverse-mode differentiation over it.</summary>
public static class Backprop
{
    /// <summary>True when recording is on and any input requires a gradient.</summary>
    public static bool ShouldRecord(params Tensor[] inputs)
    {
        if (!GradMode.IsEnabled) return false;
        foreach (var t in inputs) if (t.RequiresGrad) return true;
        return false;
    }

    /// <summary>Attaches <paramref name="node"/> to <paramref name="output"/> when recording; returns the output.</summary>
    public static Tensor Record(Tensor output, GradNode node, params Tensor[] inputs)
    {
        if (!ShouldRecord(inputs)) return output;
        node.Inputs = inputs;
        output.GradFn = node;
        output.RequiresGrad = true;
        return output;
    }

    /// <summary>
    /// Walks the tape from <paramref name="root"/> in reverse topological order. Leaves that require grad
    /// get their gradient added into <see cref="Tensor.Grad"/> (accumulating across calls until ZeroGrad).
    /// Intermediate gradients are temporaries of the current scope.
    /// </summary>
    public static void Run(Tensor root, Tensor? gradOutput)
    {
        if (!root.RequiresGrad) throw new InvalidOperationException($"Backward on {root.Describe()}, which does not require grad");
        if (gradOutput == null)
        {
            if (root.Length != 1) throw new InvalidOperationException($"Backward without a gradient needs a scalar, got {root.Describe()}");
            gradOutput = Elementwise.Fill(root.Device, 1f, root.Shape);
        }
        else Shape.RequireSame("backward", root, gradOutput);

        var order = TopologicalOrder(root);
        var grads = new Dictionary<Tensor, Tensor>(ReferenceEqualityComparer.Instance) { [root] = gradOutput };
        for (int k = order.Count - 1; k >= 0; k--)
        {
            var t = order[k];
            if (!grads.TryGetValue(t, out var g)) continue;
            if (t.GradFn == null)
            {
                AccumulateLeaf(t, g);
                continue;
            }
            var node = t.GradFn;
            var inputGrads = node.Backward(g);
            for (int i = 0; i < node.Inputs.Length; i++)
            {
                var input = node.Inputs[i];
                var gi = inputGrads[i];
                if (gi == null || !input.RequiresGrad) continue;
                if (!gi.Shape.AsSpan().SequenceEqual(input.Shape))
                    throw new InvalidOperationException($"{node.Name} backward returned grad {gi.Describe()} for input {input.Describe()}");
                grads[input] = grads.TryGetValue(input, out var existing) ? Elementwise.Add(existing, gi) : gi;
            }
        }
    }

    static void AccumulateLeaf(Tensor leaf, Tensor g)
    {
        if (leaf.Grad == null) leaf.SetGrad(Tensor.Persistent(leaf.Device, DType.Float32, leaf.Shape));
        Elementwise.AddInPlace(leaf.Grad!, g);
    }

    /// <summary>Tensors reachable from <paramref name="root"/>, each after all of its inputs.</summary>
    static List<Tensor> TopologicalOrder(Tensor root)
    {
        var order = new List<Tensor>();
        var seen = new HashSet<Tensor>(ReferenceEqualityComparer.Instance);
        var stack = new Stack<(Tensor T, bool Expanded)>();
        stack.Push((root, false));
        while (stack.Count > 0)
        {
            var (t, expanded) = stack.Pop();
            if (expanded) { order.Add(t); continue; }
            if (!seen.Add(t)) continue;
            stack.Push((t, true));
            if (t.GradFn == null) continue;
            foreach (var input in t.GradFn.Inputs)
                if (input.RequiresGrad && !seen.Contains(input)) stack.Push((input, false));
        }
        return order;
    }
}
