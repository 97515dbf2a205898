using IlgpuVq.Engine.Memory;
using IlgpuVq.Engine.Ops;
using IlgpuVq.Engine.Tensors;
using IlgpuVq.Models.Prior;

namespace IlgpuVq.Tests.Models;

/// <summary>
/// The classic PixelCNN bug, tested: the logits at position p must not depend on the input at p or at any
/// later position in raster order, and must depend on every earlier position inside the receptive field
/// (no blind spot). Dependence is measured by the gradient of the logits at p with respect to the embedded input.
/// </summary>
public class PixelCnnCausalityTests
{
    /// <summary>Σ over channels of |∂(Σ_k logits[k,p]) / ∂x[c,q]| for every position q of a [1,C,H,W] input.</summary>
    static double[,] Dependence(string device, int layers, int size, int pi, int pj, int numClasses = 0)
    {
        var dev = TestDevices.Get(device);
        var config = new PixelCnnConfig { NumCodes = 5, Channels = 6, Layers = layers, HeadChannels = 16, NumClasses = numClasses };
        using var model = new GatedPixelCnn(dev, config, seed: 11);
        using var scope = new TensorScope();
        var x = Rng.Uniform(dev, 3, 0, [1, config.Channels, size, size], -1, 1);
        x.RequiresGrad = true;
        var labels = numClasses > 0 ? Tensor.FromIntArray(dev, [1], 1) : null;
        var logits = model.ForwardEmbedded(x, labels);
        var g = new float[logits.Length];
        for (int k = 0; k < config.NumCodes; k++) g[(k * size + pi) * size + pj] = 1f;
        logits.Backward(Tensor.FromArray(dev, g, logits.Shape));
        var grad = x.Grad!.ToArray();
        var dep = new double[size, size];
        for (int c = 0; c < config.Channels; c++)
            for (int i = 0; i < size; i++)
                for (int j = 0; j < size; j++)
                    dep[i, j] += Math.Abs(grad[(c * size + i) * size + j]);
        x.Dispose();
        return dep;
    }

    static bool Before(int i, int j, int pi, int pj) => i < pi || (i == pi && j < pj);

    [Theory]
    [MemberData(nameof(TestDevices.All), MemberType = typeof(TestDevices))]
    public void FirstLayerAloneSeesExactlyItsMaskAField(string device)
    {
        const int size = 9, pi = 5, pj = 4, half = 3; // 7×7 first layer
        var dep = Dependence(device, layers: 0, size, pi, pj);
        for (int i = 0; i < size; i++)
            for (int j = 0; j < size; j++)
            {
                // The vertical stack's (k/2+1)×k kernel spans the current row and k/2 above; after the down-shift that is
                // the k/2+1 rows above p, all k columns. The horizontal 1×(k/2+1) kernel with mask A: the k/2 pixels left of p.
                bool inField = (i >= pi - half - 1 && i < pi && Math.Abs(j - pj) <= half) || (i == pi && j >= pj - half && j < pj);
                if (inField) Assert.True(dep[i, j] > 0, $"blind spot at ({i},{j}) for p=({pi},{pj})");
                else Assert.True(dep[i, j] == 0, $"logit at ({pi},{pj}) depends on ({i},{j}): {dep[i, j]}");
            }
    }

    [Theory]
    [MemberData(nameof(TestDevices.All), MemberType = typeof(TestDevices))]
    public void StackedLayersAreCausalWithNoBlindSpot(string device)
    {
        const int size = 5;
        foreach (var (pi, pj) in new[] { (4, 2), (2, 0), (0, 3), (3, 4) })
        {
            var dep = Dependence(device, layers: 2, size, pi, pj, numClasses: 3);
            for (int i = 0; i < size; i++)
                for (int j = 0; j < size; j++)
                {
                    if (Before(i, j, pi, pj)) Assert.True(dep[i, j] > 0, $"blind spot at ({i},{j}) for p=({pi},{pj})");
                    else Assert.True(dep[i, j] == 0, $"logit at ({pi},{pj}) depends on ({i},{j}) at or after it: {dep[i, j]}");
                }
        }
    }
}
