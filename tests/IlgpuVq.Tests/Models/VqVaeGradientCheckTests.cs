using IlgpuVq.Checks.Reference;
using IlgpuVq.Engine.Memory;
using IlgpuVq.Engine.Tensors;
using IlgpuVq.Models.VqVae;
using Xunit.Abstractions;

namespace IlgpuVq.Tests.Models;

/// <summary>
/// Full-model gradient check of the VQ-VAE: the engine's gradient of the total loss with respect to every parameter
/// (<c>Module.NamedParameters</c>) against central finite differences of a double-precision reference forward
/// of the whole model, written here from the reference ops (encoder convolutions, ReLUs, residual blocks, 1×1
/// projection, quantizer, decoder convolutions and transposed convolutions, MSE).
///
/// The loss is not differentiable as written (argmin, straight-through, stop-gradients), so the reference
/// differentiates an exact surrogate: with the codebook indices held at those of the unperturbed forward, and
/// z0 = encoder output and e0 = looked-up codes at the base parameters θ0,
///   L(θ) = mse(decoder(z(θ) + (e0 − z0)), x) + mean((z0 − e(θ))²) + β·mean((z(θ) − e0)²).
/// At θ0 its value is the true loss, and its gradient is the straight-through gradient the engine implements:
/// the decoder sees the codes' value and passes its gradient to z, the codebook loss moves only e, the commitment
/// loss only z.
///
/// Every element of every parameter tensor is perturbed (about 920 elements, under a second of reference work), so
/// sparse gradients (the codebook rows of unused codes, weights behind dead ReLUs) are checked too.
///
/// Guards against a flaky setup (each fails loudly instead of comparing the wrong thing): every encoder output is
/// at least 1e-3 (squared-distance margin) away from a tie between two codes, the reference picks the engine's
/// indices, at least two codes are in use, no ReLU input is within 1e-4 of its kink at θ0, no finite-difference
/// step flips any ReLU, the reference reads every parameter, and every tensor has gradients well above the
/// absolute tolerance (so no tensor's check is vacuous).
/// </summary>
public class VqVaeGradientCheckTests(ITestOutputHelper log)
{
    static readonly VqVaeConfig Config = new()
    {
        Hidden = 4, ResidualHidden = 2, ResidualBlocks = 1, EmbeddingDim = 3, NumCodes = 5, Downsample = 4,
        Ema = false, DeadCodeWindow = 0, KMeansInit = false, // the codebook loss and its gradient are what is checked
    };
    const int Batch = 2, Size = 8;
    const ulong ModelSeed = 9;
    const int InputSeed = 2;

    // Central-difference step, in double: truncation error O(h²) ≈ 1e-10, rounding ≈ 1e-16/h ≈ 1e-11, and small enough
    // that no perturbation moves a ReLU input across its kink (asserted for every evaluation).
    const double Step = 1e-5;
    const string Codebook = "quantizer.codebook";
    // Tolerance per element, engine gradient a (float32) against finite difference e (double):
    //   |a − e| ≤ 1e-6 + 2e-2·max(|a|, |e|).
    // Float32 rounding gives relative errors ~1e-7..1e-6 of the largest contributions (observed: |a − e| ≤ 1e-8 with
    // gradients up to 0.1), the double central difference ~1e-10; so the bound leaves ≥ 100× room, yet a wrong term,
    // factor (a mean over the wrong count, a missing 2 or β) or index moves some element far past it. The absolute
    // term is 1e-6, not 1e-4: in this tiny model whole tensors have gradients below 1e-4 (e.g. the residual 1×1
    // convolutions, ~5e-5), which a 1e-4 floor would accept even if the engine returned zeros; hence also
    // MinTensorGradient, asserted per tensor.
    const double AbsTolerance = 1e-6, RelTolerance = 2e-2;
    const double MinTensorGradient = 20 * AbsTolerance;
    // Per tensor, ‖a − e‖₂ ≤ 1e-4·‖e‖₂: a systematic error in a tensor of small gradients (observed: ≤ 1e-5).
    const double NormTolerance = 1e-4;
    const double TieMargin = 1e-3, ReluMargin = 1e-4;

    /// <summary>Double-precision forward of the whole model from a state dict of doubles.</summary>
    sealed class Reference(VqVaeConfig c, IReadOnlyDictionary<string, double[]> p)
    {
        public readonly HashSet<string> Used = new();
        /// <summary>Every ReLU input, in order (for the kink checks).</summary>
        public readonly List<double[]> ReluInputs = new();

        double[] P(string name)
        {
            Used.Add(name);
            return p[name];
        }

        double[]? Bias(string name) => p.ContainsKey(name) ? P(name) : null;

        double[] Relu(double[] x)
        {
            ReluInputs.Add(x);
            return ElementwiseReference.Relu(x);
        }

        static double[] Conv(double[] x, double[] w, double[]? b, int cin, int h, int cout, int k, int stride, int pad) =>
            Conv2dReference.Apply(x, w, b, Batch, cin, h, h, cout, k, k, stride, stride, pad, pad, pad, pad);

        double[] Conv(string name, double[] x, int cin, int h, int cout, int k, int stride, int pad) =>
            Conv(x, P(name + ".weight"), Bias(name + ".bias"), cin, h, cout, k, stride, pad);

        /// <summary>x + conv1x1(relu(conv3x3(relu(x)))).</summary>
        double[] Residual(string name, double[] x, int h)
        {
            var t = Relu(Conv(name + ".conv3", Relu(x), c.Hidden, h, c.ResidualHidden, 3, 1, 1));
            return ElementwiseReference.Add(x, Conv(name + ".conv1", t, c.ResidualHidden, h, c.Hidden, 1, 1, 0));
        }

        public int LatentSize => Size >> c.DownsampleSteps;

        public double[] Encode(double[] x)
        {
            int cin = 3, h = Size;
            for (int i = 0; i < c.DownsampleSteps; i++)
            {
                int cout = i == 0 ? c.Hidden / 2 : c.Hidden;
                x = Relu(Conv($"encoder.down{i + 1}", x, cin, h, cout, 4, 2, 1));
                cin = cout;
                h /= 2;
            }
            x = Conv("encoder.conv", x, c.Hidden, h, c.Hidden, 3, 1, 1);
            for (int i = 0; i < c.ResidualBlocks; i++) x = Residual($"encoder.res{i + 1}", x, h);
            return Conv("encoder.project", Relu(x), c.Hidden, h, c.EmbeddingDim, 1, 1, 0);
        }

        public double[] Decode(double[] z)
        {
            int h = LatentSize;
            var x = Conv("decoder.conv", z, c.EmbeddingDim, h, c.Hidden, 3, 1, 1);
            for (int i = 0; i < c.ResidualBlocks; i++) x = Residual($"decoder.res{i + 1}", x, h);
            x = Relu(x);
            int cin = c.Hidden;
            for (int i = 0; i < c.DownsampleSteps; i++)
            {
                int remaining = c.DownsampleSteps - i;
                int cout = remaining == 1 ? 3 : remaining == 2 ? c.Hidden / 2 : c.Hidden;
                x = ConvTranspose2dReference.Apply(x, P($"decoder.up{i + 1}.weight"), Bias($"decoder.up{i + 1}.bias"),
                    Batch, cin, h, h, cout, 4, 4, 2, 2, 1, 1, 0, 0);
                if (i < c.DownsampleSteps - 1) x = Relu(x);
                cin = cout;
                h *= 2;
            }
            return x;
        }

        /// <summary>Codes [B,D,h,w] at fixed indices [B,h,w].</summary>
        public double[] Lookup(double[] indices) =>
            EmbeddingReference.LookupNchw(P(Codebook), indices, c.NumCodes, c.EmbeddingDim, Batch, LatentSize, LatentSize);

        /// <summary>The surrogate loss L(θ) described on the class, for fixed indices, z0 and e0.</summary>
        public double SurrogateLoss(double[] x, double[] indices, double[] z0, double[] e0)
        {
            var z = Encode(x);
            var e = Lookup(indices);
            var recon = Decode(ElementwiseReference.Add(z, ElementwiseReference.Sub(e0, z0)));
            return LossReference.Mse(recon, x)[0]
                + CodebookReference.ScaledMeanSquaredError(z0, e, 1)[0]
                + CodebookReference.ScaledMeanSquaredError(z, e0, c.Beta)[0];
        }
    }

    static float[] Images(int seed)
    {
        var rng = new Random(seed);
        return Enumerable.Range(0, Batch * 3 * Size * Size).Select(_ => (float)(rng.NextDouble() * 2 - 1)).ToArray();
    }

    [Theory]
    [MemberData(nameof(TestDevices.All), MemberType = typeof(TestDevices))]
    public void EngineGradientsMatchFiniteDifferencesOfTheReferenceModel(string deviceName)
    {
        var device = TestDevices.Get(deviceName);
        Config.Validate(Size);
        var imagesF = Images(InputSeed);
        var x = imagesF.Select(v => (double)v).ToArray();

        // Engine: one forward and one backward of the total loss.
        using var model = new VqVaeModel(device, Config, ModelSeed);
        var paramNames = model.NamedParameters().Select(p => p.Name).ToList();
        float engineLoss;
        int[] engineIndices;
        var engineGrads = new Dictionary<string, float[]>();
        using (new TensorScope())
        {
            var output = model.Forward(Tensor.FromArray(device, imagesF, Batch, 3, Size, Size));
            output.Loss.Backward();
            engineLoss = output.Loss.Item();
            engineIndices = output.Indices.ToIntArray();
            foreach (var (name, t) in model.NamedParameters())
            {
                Assert.True(t.Grad != null, $"no gradient reached parameter {name}");
                engineGrads[name] = t.Grad!.ToArray();
            }
        }
        var state = model.StateDictToHost().Where(t => paramNames.Contains(t.Name))
            .ToDictionary(t => t.Name, t => t.Floats!.Select(v => (double)v).ToArray());
        Assert.Equal(paramNames.Order(), state.Keys.Order());

        // Reference at θ0: encoder output, nearest codes (with a margin from any tie) and the true loss.
        int hw = (Size >> Config.DownsampleSteps) * (Size >> Config.DownsampleSteps), rows = Batch * hw;
        var baseRef = new Reference(Config, state);
        var z0 = baseRef.Encode(x);
        var zRows = CodebookReference.NchwToRows(z0, Batch, Config.EmbeddingDim, hw);
        var codebook = state[Codebook];
        double margin = CodebookReference.Margins(zRows, codebook, rows, Config.NumCodes, Config.EmbeddingDim).Min();
        Assert.True(margin > TieMargin, $"an encoder output is within {margin:G3} of a tie between two codes; choose another seed");
        var idx = CodebookReference.Nearest(zRows, codebook, rows, Config.NumCodes, Config.EmbeddingDim);
        Assert.Equal(idx, engineIndices);
        Assert.True(idx.Distinct().Count() >= 2, "all positions use one code; choose a seed that exercises more of the codebook");
        var indices = idx.Select(i => (double)i).ToArray();
        var e0 = baseRef.Lookup(indices);
        double refLoss = baseRef.SurrogateLoss(x, indices, z0, e0);
        Assert.True(Math.Abs(engineLoss - refLoss) <= 1e-5 * Math.Abs(refLoss), $"engine loss {engineLoss} vs reference {refLoss}");

        var baseRelu = new Reference(Config, state);
        baseRelu.SurrogateLoss(x, indices, z0, e0);
        var baseMasks = baseRelu.ReluInputs.Select(a => a.Select(v => v > 0).ToArray()).ToList();
        double reluMargin = baseRelu.ReluInputs.SelectMany(a => a).Min(Math.Abs);
        Assert.True(reluMargin > ReluMargin, $"a ReLU input is {reluMargin:G3} from its kink; choose another seed");
        Assert.Equal(paramNames.Order(), baseRelu.Used.Order());

        // Central differences, one element at a time, every element of every parameter.
        var checkedNames = new HashSet<string>();
        var failures = new List<string>();
        log.WriteLine($"[{deviceName}] loss {engineLoss} (reference {refLoss:G9}), codes used {idx.Distinct().Count()}, tie margin {margin:G3}, ReLU margin {reluMargin:G3}");
        foreach (var name in paramNames)
        {
            var values = state[name];
            var grad = engineGrads[name];
            double maxErr = 0, maxRatio = 0, maxGrad = 0, diffSq = 0, refSq = 0;
            for (int i = 0; i < values.Length; i++)
            {
                double v = values[i];
                values[i] = v + Step;
                double plus = Evaluate(state, x, indices, z0, e0, baseMasks, name, i);
                values[i] = v - Step;
                double minus = Evaluate(state, x, indices, z0, e0, baseMasks, name, i);
                values[i] = v;
                double expected = (plus - minus) / (2 * Step), actual = grad[i];
                double err = Math.Abs(actual - expected), bound = AbsTolerance + RelTolerance * Math.Max(Math.Abs(actual), Math.Abs(expected));
                maxErr = Math.Max(maxErr, err);
                maxRatio = Math.Max(maxRatio, err / bound);
                maxGrad = Math.Max(maxGrad, Math.Abs(expected));
                diffSq += err * err;
                refSq += expected * expected;
                if (err > bound) failures.Add($"{name}[{i}]: engine {actual:G6}, finite difference {expected:G6}, |diff| {err:G3}");
            }
            double normRel = Math.Sqrt(diffSq / refSq);
            if (maxGrad < MinTensorGradient) failures.Add($"{name}: largest gradient {maxGrad:G3} is too small for a meaningful check; choose another seed");
            if (!(normRel <= NormTolerance)) failures.Add($"{name}: ‖engine − finite difference‖/‖finite difference‖ = {normRel:G3}");
            checkedNames.Add(name);
            log.WriteLine($"  {name} ({values.Length}): max |grad| {maxGrad:G3}, max |diff| {maxErr:G3}, max diff/tolerance {maxRatio:G3}, relative norm error {normRel:G3}");
        }
        Assert.True(failures.Count == 0, $"{failures.Count} gradient mismatches:\n" + string.Join("\n", failures));
        Assert.Equal(paramNames.Order(), checkedNames.Order());
    }

    /// <summary>The surrogate loss at the perturbed parameters, asserting that no ReLU changed side.</summary>
    static double Evaluate(Dictionary<string, double[]> state, double[] x, double[] indices, double[] z0, double[] e0,
        List<bool[]> baseMasks, string name, int element)
    {
        var r = new Reference(Config, state);
        double loss = r.SurrogateLoss(x, indices, z0, e0);
        for (int a = 0; a < baseMasks.Count; a++)
            for (int j = 0; j < baseMasks[a].Length; j++)
                Assert.True(baseMasks[a][j] == r.ReluInputs[a][j] > 0,
                    $"perturbing {name}[{element}] by {Step} moves ReLU input {a}[{j}] across its kink; choose another seed or step");
        return loss;
    }
}
