using IlgpuVq.Models.Evaluation;
using MathNet.Numerics.LinearAlgebra;

namespace IlgpuVq.Tests.Evaluation;

/// <summary>The host-side sample-quality metrics against closed forms and their defining properties.</summary>
public class SampleMetricsTests
{
    static double[][] Gaussian(int n, double[] mean, double[] std, int seed)
    {
        var rng = new Random(seed);
        return Enumerable.Range(0, n).Select(_ => mean.Select((m, k) =>
        {
            double u1 = 1 - rng.NextDouble(), u2 = rng.NextDouble();
            return m + std[k] * Math.Sqrt(-2 * Math.Log(u1)) * Math.Cos(2 * Math.PI * u2);
        }).ToArray()).ToArray();
    }

    static Matrix<double> M(double[,] a) => Matrix<double>.Build.DenseOfArray(a);
    static Vector<double> V(params double[] v) => Vector<double>.Build.DenseOfArray(v);

    [Fact]
    public void FrechetDistanceOfASetWithItselfIsZeroAndOfATranslateIsTheSquaredShift()
    {
        // 20 vectors in 32 dimensions: a singular covariance (rank 19), as with few samples of wide features.
        var a = Gaussian(20, new double[32], Enumerable.Repeat(1.0, 32).ToArray(), 1);
        Assert.InRange(FrechetDistance.Between(a, a), 0, 1e-9);
        var shift = Enumerable.Range(0, 32).Select(k => 0.1 * (k % 5)).ToArray();
        var b = a.Select(r => r.Select((v, k) => v + shift[k]).ToArray()).ToArray();
        double expected = shift.Sum(s => s * s);
        Assert.Equal(expected, FrechetDistance.Between(a, b), 1e-8);
    }

    [Fact]
    public void FrechetDistanceMatchesTheClosedFormForDiagonalCovariancesIncludingSingularOnes()
    {
        // Commuting covariances: d = |Δμ|² + Σ (√aᵢ − √bᵢ)²; zero variances make both singular.
        var covA = M(new double[,] { { 1, 0, 0 }, { 0, 0, 0 }, { 0, 0, 4 } });
        var covB = M(new double[,] { { 0, 0, 0 }, { 0, 9, 0 }, { 0, 0, 4 } });
        double d = FrechetDistance.Between(V(1, 2, 3), covA, V(1, 0, 3), covB);
        Assert.Equal(4 + 1 + 9 + 0, d, 1e-10);
    }

    [Fact]
    public void FrechetDistanceMatchesTheClosedFormForNonCommuting2x2Covariances()
    {
        // For 2×2 PSD A, B: Tr (AB)^½ = √(Tr AB + 2 √(det A · det B)) (the eigenvalues of AB are real and non-negative).
        foreach (var (a, b) in new[]
                 {
                     (new double[,] { { 2, 0.5 }, { 0.5, 1 } }, new double[,] { { 1, -0.3 }, { -0.3, 3 } }),
                     (new double[,] { { 1, 1 }, { 1, 1 } }, new double[,] { { 2, 0 }, { 0, 0.5 } }), // A singular (rank 1)
                     (new double[,] { { 4, 2 }, { 2, 1 } }, new double[,] { { 1, -1 }, { -1, 1 } }),  // both singular
                 })
        {
            var A = M(a);
            var B = M(b);
            double cross = Math.Sqrt((A * B).Trace() + 2 * Math.Sqrt(Math.Max(0, A.Determinant() * B.Determinant())));
            double expected = 0.25 + A.Trace() + B.Trace() - 2 * cross;
            Assert.Equal(expected, FrechetDistance.Between(V(0, 0), A, V(0.5, 0), B), 1e-9);
        }
    }

    [Fact]
    public void KidIsUnbiasedOnTwoSamplesOfOneDistributionAndPositiveForDifferentOnes()
    {
        var mean = new double[8];
        var std = Enumerable.Repeat(1.0, 8).ToArray();
        var values = Enumerable.Range(0, 200).Select(s => KernelInceptionDistance.Between(Gaussian(40, mean, std, 2 * s), Gaussian(40, mean, std, 2 * s + 1))).ToArray();
        double avg = values.Average(), sd = Math.Sqrt(values.Sum(v => (v - avg) * (v - avg)) / (values.Length - 1));
        Assert.InRange(avg, -3 * sd / Math.Sqrt(values.Length), 3 * sd / Math.Sqrt(values.Length));
        Assert.Contains(values, v => v < 0); // unbiased, not clamped: some estimates fall below zero
        var shifted = Gaussian(40, Enumerable.Repeat(1.0, 8).ToArray(), std, 999);
        Assert.True(KernelInceptionDistance.Between(Gaussian(40, mean, std, 1000), shifted) > 10 * sd);
    }

    [Fact]
    public void KidWithAFeatureScaleIsKidOfTheScaledFeaturesAndTheTestScaleGivesUnitRms()
    {
        var a = Gaussian(30, [40, -10, 25], [30, 20, 10], 5);
        var b = Gaussian(30, [45, -5, 20], [30, 20, 10], 6);
        double scale = KernelInceptionDistance.ScaleOf(b);
        double Rms(double[][] x) => Math.Sqrt(x.Sum(r => r.Sum(v => v * v)) / (x.Length * x[0].Length));
        double[][] Divided(double[][] x) => x.Select(r => r.Select(v => v / scale).ToArray()).ToArray();
        Assert.Equal(Rms(b), scale, 1e-12);
        Assert.Equal(1.0, Rms(Divided(b)), 1e-12);
        double expected = KernelInceptionDistance.Between(Divided(a), Divided(b));
        Assert.Equal(expected, KernelInceptionDistance.Between(a, b, scale), 1e-9 * Math.Abs(expected));
        // Unscaled, the cubic kernel of features this large is about scale⁶ times bigger.
        Assert.True(Math.Abs(KernelInceptionDistance.Between(a, b)) > 1e3 * Math.Abs(expected));
        Assert.Equal(1.0, KernelInceptionDistance.ScaleOf([[0.0, 0.0]]));
    }

    [Fact]
    public void PrecisionAndRecallOfIdenticalSetsAreOneAndDropForADisjointSet()
    {
        var a = Gaussian(50, new double[4], [1, 1, 1, 1], 3);
        Assert.Equal((1.0, 1.0), ManifoldPrecisionRecall.Compute(a, a));
        var far = a.Select(r => r.Select(v => v + 100).ToArray()).ToArray();
        Assert.Equal((0.0, 0.0), ManifoldPrecisionRecall.Compute(a, far));
        // Samples covering half of the real set: precision stays 1, recall falls.
        var half = a.Where(r => r[0] > 0).ToArray();
        var (p, r) = ManifoldPrecisionRecall.Compute(a, half);
        Assert.Equal(1.0, p);
        Assert.InRange(r, 0.3, 0.9);
    }

    [Fact]
    public void NearestNeighboursAndKthRadiusMatchABruteForceOnALine()
    {
        double[][] set = [[0.0], [1.0], [3.0], [7.0]];
        Assert.Equal([3.0, 2.0, 3.0, 6.0], NearestNeighbours.KthNeighbourRadius(set, 2));
        var (index, distance) = NearestNeighbours.Nearest([[2.9], [-5.0]], set);
        Assert.Equal([2, 0], index);
        Assert.Equal(0.1, distance[0], 1e-12);
        Assert.Equal(5.0, distance[1]);
        Assert.Equal(2.0, NearestNeighbours.Median([3.0, 1.0, 2.0]));
        Assert.Equal(2.5, NearestNeighbours.Median([3.0, 1.0, 2.0, 4.0]));
    }

    [Fact]
    public void CodeStatisticsShowACollapsedClass()
    {
        // Class 0: the same map three times; class 1: three different maps. Maps of 4 positions.
        int[] codes = [1, 2, 3, 4, 1, 2, 3, 4, 1, 2, 3, 4, /* class 1 */ 0, 0, 0, 0, 0, 0, 0, 1, 5, 5, 5, 5];
        var s = CodeStatistics.From(codes, 4, [0, 0, 0, 1, 1, 1], ["a", "b"]);
        Assert.Equal(1.0 / 3, s.DistinctShare["a"], 12);
        Assert.Equal(1.0, s.DistinctShare["b"]);
        Assert.Equal(0.0, s.ClassHamming["a"]);
        Assert.Equal((0.25 + 1 + 1) / 3, s.ClassHamming["b"], 12);
        Assert.Equal(4, s.Positions);
    }

    [Fact]
    public void FloorSubsetIsSeededDistinctAndSorted()
    {
        var a = SampleEvaluation.Subset(100, 30, 7);
        Assert.Equal(a, SampleEvaluation.Subset(100, 30, 7));
        Assert.NotEqual(a, SampleEvaluation.Subset(100, 30, 8));
        Assert.Equal(30, a.Distinct().Count());
        Assert.Equal(a.Order(), a);
        Assert.Equal(Enumerable.Range(0, 10), SampleEvaluation.Subset(10, 10, 1));
    }

    [Fact]
    public void ClassConditionalFloorTakesTheSamplesClassMixWithReplacementOnlyPastAClassSize()
    {
        // Six images of class 0, two of class 1, none of class 2; three per class asked for.
        int[] labels = [0, 1, 0, 0, 0, 1, 0, 0];
        var f = SampleEvaluation.Stratified(labels, 3, 3, 5);
        Assert.Equal(6, f.Length);
        Assert.All(f[..3], i => Assert.Equal(0, labels[i]));
        Assert.Equal(3, f[..3].Distinct().Count());
        Assert.All(f[3..], i => Assert.Equal(1, labels[i]));
        Assert.Equal(2, f[3..].Distinct().Count()); // only two images: one repeats
        Assert.Equal(f, SampleEvaluation.Stratified(labels, 3, 3, 5));
    }
}
