using IlgpuVq.Checks.Reference;
using IlgpuVq.Engine.Memory;
using IlgpuVq.Engine.Ops;
using IlgpuVq.Engine.Tensors;

namespace IlgpuVq.Tests.Ops;

/// <summary>Device Philox against the host reference (bit-exact), distribution statistics, and categorical sampling.</summary>
public class RandomTests
{
    [Theory]
    // Random123 tests/kat_vectors, "philox4x32 10" lines: counter[4], key[2] → result[4].
    [InlineData(new uint[] { 0, 0, 0, 0 }, new uint[] { 0, 0 }, new uint[] { 0x6627e8d5, 0xe169c58d, 0xbc57ac4c, 0x9b00dbd8 })]
    [InlineData(new uint[] { 0xffffffff, 0xffffffff, 0xffffffff, 0xffffffff }, new uint[] { 0xffffffff, 0xffffffff },
        new uint[] { 0x408f276d, 0x41c83b0e, 0xa20bc7c6, 0x6d5451fd })]
    [InlineData(new uint[] { 0x243f6a88, 0x85a308d3, 0x13198a2e, 0x03707344 }, new uint[] { 0xa4093822, 0x299f31d0 },
        new uint[] { 0xd16cfe09, 0x94fdcceb, 0x5001e420, 0x24126ea1 })]
    public void ReferencePhiloxMatchesPublishedKnownAnswers(uint[] counter, uint[] key, uint[] expected) =>
        Assert.Equal(expected, RandomReference.Philox4x32(counter, key));

    [Theory]
    [MemberData(nameof(TestDevices.All), MemberType = typeof(TestDevices))]
    public void DeviceBitsEqualReferenceBitsExactly(string deviceName)
    {
        var device = TestDevices.Get(deviceName);
        using var scope = new TensorScope();
        // A seed with both key words non-zero and an offset whose low word wraps inside the draw.
        const ulong seed = 0x0123456789ABCDEFul, offset = 0xFFFFFFF0ul;
        var bits = Rng.UniformBits(device, seed, offset, [3, 7, 11]).ToIntArray().Select(b => (uint)b).ToArray();
        Assert.Equal(RandomReference.UniformBits(seed, offset, 3 * 7 * 11), bits);

        var u = Rng.Uniform(device, seed, offset, [231], -2f, 3f).ToArray();
        var ru = RandomReference.Uniform(seed, offset, 231, -2, 3);
        for (int i = 0; i < u.Length; i++)
        {
            Assert.InRange(u[i], -2f, 3f);
            Assert.True(u[i] < 3f);
            Assert.Equal(ru[i], u[i], 1e-6);
        }
        var z = Rng.Normal(device, seed, offset, [231], 1f, 2f).ToArray();
        var rz = RandomReference.Normal(seed, offset, 231, 1, 2);
        for (int i = 0; i < z.Length; i++) Assert.Equal(rz[i], z[i], 1e-4);
    }

    [Theory]
    [MemberData(nameof(TestDevices.All), MemberType = typeof(TestDevices))]
    public void SameSeedRepeatsDifferentSeedDiffersOffsetShifts(string deviceName)
    {
        var device = TestDevices.Get(deviceName);
        using var scope = new TensorScope();
        var a = Rng.Uniform(device, 42, 0, [1000]).ToArray();
        var b = Rng.Uniform(device, 42, 0, [1000]).ToArray();
        var c = Rng.Uniform(device, 43, 0, [1000]).ToArray();
        var shifted = Rng.Uniform(device, 42, 10, [990]).ToArray();
        Assert.Equal(a, b);
        Assert.True(a.Zip(c).Count(p => p.First == p.Second) < 5, "seeds 42 and 43 gave nearly the same numbers");
        Assert.Equal(a[10..], shifted);
        Assert.True(a.Distinct().Count() > 990);
    }

    [Theory]
    [MemberData(nameof(TestDevices.All), MemberType = typeof(TestDevices))]
    public void NormalsHaveTheRequestedMomentsAndUniformsAreFlat(string deviceName)
    {
        var device = TestDevices.Get(deviceName);
        using var scope = new TensorScope();
        const int n = 100_000;
        var z = Rng.Normal(device, 7, 123, [n], 2f, 3f).ToArray().Select(v => (double)v).ToArray();
        Assert.All(z, v => Assert.True(double.IsFinite(v)));
        double mean = z.Average(), std = Math.Sqrt(z.Select(v => (v - mean) * (v - mean)).Sum() / (n - 1));
        // Standard errors: mean 3/√n ≈ 0.0095, std ≈ 3/√(2n) ≈ 0.0067; tolerances are about 5 standard errors.
        Assert.InRange(mean, 2 - 0.05, 2 + 0.05);
        Assert.InRange(std, 3 - 0.035, 3 + 0.035);
        double within1 = z.Count(v => Math.Abs(v - 2) < 3) / (double)n;
        Assert.InRange(within1, 0.6827 - 0.008, 0.6827 + 0.008);

        var u = Rng.Uniform(device, 8, 0, [n]).ToArray();
        var counts = new int[10];
        foreach (var v in u) counts[(int)(v * 10)]++;
        Assert.All(counts, c => Assert.InRange(c, n / 10 - 500, n / 10 + 500));
    }

    [Theory]
    [MemberData(nameof(TestDevices.All), MemberType = typeof(TestDevices))]
    public void CategoricalFrequenciesMatchSoftmaxWithTemperature(string deviceName)
    {
        var device = TestDevices.Get(deviceName);
        using var scope = new TensorScope();
        const int batch = 20_000, k = 5, height = 2, width = 3, h = 1, w = 2;
        double[] row = [1.0, -0.5, 2.0, 0.25, 1.5];
        const float temperature = 0.8f;
        // Every other position holds different logits, so reading the wrong position would show.
        var logits = new float[batch * k * height * width];
        for (int b = 0; b < batch; b++)
            for (int c = 0; c < k; c++)
                for (int s = 0; s < height * width; s++)
                    logits[(b * k + c) * height * width + s] = s == h * width + w ? (float)row[c] : (c == 0 ? 50f : -50f);
        var x = Tensor.FromArray(device, logits, batch, k, height, width);
        var codes = Tensor.FromIntArray(device, Enumerable.Repeat(-1, batch * height * width).ToArray(), batch, height, width);
        Rng.SampleCategorical(x, h, w, temperature, 2024, 0, codes);
        var all = codes.ToIntArray();
        var counts = new int[k];
        for (int b = 0; b < batch; b++)
        {
            for (int s = 0; s < height * width; s++)
                if (s != h * width + w) Assert.Equal(-1, all[b * height * width + s]);
            counts[all[b * height * width + h * width + w]]++;
        }
        var p = RandomReference.Softmax(row, temperature);
        for (int c = 0; c < k; c++)
        {
            double se = Math.Sqrt(p[c] * (1 - p[c]) / batch);
            Assert.True(Math.Abs(counts[c] / (double)batch - p[c]) < 5 * se + 1e-3,
                $"class {c}: frequency {counts[c] / (double)batch:g4}, softmax {p[c]:g4}");
        }

        // Same seed → same samples; another seed → other samples.
        var again = Tensor.ZerosInt(device, batch, height, width);
        var other = Tensor.ZerosInt(device, batch, height, width);
        Rng.SampleCategorical(x, h, w, temperature, 2024, 0, again);
        Rng.SampleCategorical(x, h, w, temperature, 2025, 0, other);
        var idx = Enumerable.Range(0, batch).Select(b => b * height * width + h * width + w).ToArray();
        var a1 = again.ToIntArray();
        var o1 = other.ToIntArray();
        Assert.True(idx.All(i => a1[i] == all[i]));
        Assert.True(idx.Count(i => o1[i] != all[i]) > batch / 4);
    }

    [Theory]
    [MemberData(nameof(TestDevices.All), MemberType = typeof(TestDevices))]
    public void ZeroTemperatureAndArgmaxPickTheLargestLowestOnTies(string deviceName)
    {
        var device = TestDevices.Get(deviceName);
        using var scope = new TensorScope();
        const int batch = 3, k = 4, height = 2, width = 2;
        var rng = new Random(5);
        var logits = Enumerable.Range(0, batch * k * height * width).Select(_ => (float)rng.NextDouble()).ToArray();
        // Image 2, position (0,1): classes 1 and 3 tie for the maximum.
        for (int c = 0; c < k; c++) logits[(2 * k + c) * 4 + 1] = c is 1 or 3 ? 5f : 0f;
        var x = Tensor.FromArray(device, logits, batch, k, height, width);
        var argmax = Rng.Argmax(x).ToIntArray();
        Assert.Equal([batch, height, width], Rng.Argmax(x).Shape);
        for (int b = 0; b < batch; b++)
            for (int s = 0; s < 4; s++)
            {
                int best = 0;
                for (int c = 1; c < k; c++) if (logits[(b * k + c) * 4 + s] > logits[(b * k + best) * 4 + s]) best = c;
                Assert.Equal(best, argmax[b * 4 + s]);
            }
        Assert.Equal(1, argmax[2 * 4 + 1]);

        var codes = Tensor.ZerosInt(device, batch, height, width);
        for (int hh = 0; hh < height; hh++)
            for (int ww = 0; ww < width; ww++) Rng.SampleCategorical(x, hh, ww, 0f, 9, 0, codes);
        Assert.Equal(argmax, codes.ToIntArray());
    }

    [Theory]
    [MemberData(nameof(TestDevices.All), MemberType = typeof(TestDevices))]
    public void KaimingUniformIsBoundedPersistentAndSeeded(string deviceName)
    {
        var device = TestDevices.Get(deviceName);
        Tensor w;
        using (new TensorScope()) w = Rng.KaimingUniform(device, 11, [16, 3, 3, 3], fanIn: 27);
        using (w)
        {
            Assert.False(w.IsDisposed);
            var v = w.ToArray();
            double bound = Math.Sqrt(2) * Math.Sqrt(3.0 / 27);
            Assert.All(v, x => Assert.True(Math.Abs(x) <= bound));
            Assert.True(v.Max() > 0.9 * bound && v.Min() < -0.9 * bound);
            using var again = Rng.KaimingUniform(device, 11, [16, 3, 3, 3], fanIn: 27);
            Assert.Equal(v, again.ToArray());
        }
    }

    /// <summary>Codes with m·B maps (a guided sampler's conditional and null-class rows): every copy of image b gets the code that
    /// a plain draw into B maps gives it, at that position only.</summary>
    [Theory]
    [MemberData(nameof(TestDevices.All), MemberType = typeof(TestDevices))]
    public void CategoricalDrawGoesIntoEveryCopyOfTheImage(string deviceName)
    {
        var device = TestDevices.Get(deviceName);
        using var scope = new TensorScope();
        const int batch = 5, k = 7, height = 3, width = 2, h = 2, w = 1;
        var rng = new Random(3);
        var x = Tensor.FromArray(device, Enumerable.Range(0, batch * k * height * width).Select(_ => (float)rng.NextDouble() * 4).ToArray(), batch, k, height, width);
        var plain = Tensor.ZerosInt(device, batch, height, width);
        Rng.SampleCategorical(x, h, w, 1f, 77, 5, plain);
        var expected = plain.ToIntArray();
        Assert.True(expected.Distinct().Count() > 2);
        foreach (int copies in new[] { 2, 3 })
        {
            var codes = Tensor.FromIntArray(device, Enumerable.Repeat(-1, copies * batch * height * width).ToArray(), copies * batch, height, width);
            Rng.SampleCategorical(x, h, w, 1f, 77, 5, codes);
            var all = codes.ToIntArray();
            for (int m = 0; m < copies; m++)
                for (int b = 0; b < batch; b++)
                    for (int s = 0; s < height * width; s++)
                        Assert.Equal(s == h * width + w ? expected[b * height * width + s] : -1, all[((m * batch) + b) * height * width + s]);
        }
        Assert.Throws<ArgumentException>(() => Rng.SampleCategorical(x, h, w, 1f, 77, 5, Tensor.ZerosInt(device, batch + 1, height, width)));
    }
}
