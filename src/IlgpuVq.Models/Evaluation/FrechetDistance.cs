using MathNet.Numerics.LinearAlgebra;

namespace IlgpuVq.Models.Evaluation;

/// <summary>
/// Fréchet distance between Gaussian fits of two feature sets (Heusel et al. 2017, the "FID" formula):
/// ‖μ₁ − μ₂‖² + Tr Σ₁ + Tr Σ₂ − 2 Tr (Σ₁^½ Σ₂ Σ₁^½)^½, with unbiased (n − 1) covariances, in double precision.
/// Both square roots are of symmetric positive semi-definite matrices and are taken through MathNet.Numerics'
/// symmetric eigendecomposition, with eigenvalues within round-off of zero (or below it) set to zero, so singular
/// covariances (fewer samples than dimensions, constant features) are handled exactly rather than through an
/// inverse or a general (complex) matrix square root. Tr (Σ₁^½ Σ₂ Σ₁^½)^½ = Tr (Σ₁Σ₂)^½.
/// </summary>
public static class FrechetDistance
{
    public static double Between(double[][] a, double[][] b)
    {
        var (muA, covA) = Gaussian(a);
        var (muB, covB) = Gaussian(b);
        return Between(muA, covA, muB, covB);
    }

    /// <summary>The distance between two Gaussians given by mean and covariance.</summary>
    public static double Between(Vector<double> muA, Matrix<double> covA, Vector<double> muB, Matrix<double> covB)
    {
        var rootA = SymmetricSqrt(covA);
        var inner = rootA * covB * rootA;
        double crossTrace = Eigenvalues(Symmetrize(inner)).Sum(Math.Sqrt);
        double d = (muA - muB).DotProduct(muA - muB) + covA.Trace() + covB.Trace() - 2 * crossTrace;
        return Math.Max(0, d);
    }

    /// <summary>Mean and unbiased covariance of rows of equal length (a single row: covariance 0).</summary>
    public static (Vector<double> Mean, Matrix<double> Covariance) Gaussian(double[][] rows)
    {
        if (rows.Length == 0) throw new ArgumentException("a Gaussian fit needs at least one feature vector");
        int n = rows.Length, d = rows[0].Length;
        var x = Matrix<double>.Build.DenseOfRowArrays(rows);
        var mean = x.ColumnSums() / n;
        var centred = x - Matrix<double>.Build.Dense(n, d, (_, j) => mean[j]);
        var cov = n > 1 ? centred.TransposeThisAndMultiply(centred) / (n - 1) : Matrix<double>.Build.Dense(d, d);
        return (mean, Symmetrize(cov));
    }

    /// <summary>V·diag(√max(λ, 0))·Vᵀ of a symmetric matrix.</summary>
    public static Matrix<double> SymmetricSqrt(Matrix<double> m)
    {
        var evd = Symmetrize(m).Evd(Symmetricity.Symmetric);
        var v = evd.EigenVectors;
        var roots = Matrix<double>.Build.DiagonalOfDiagonalArray(Clamped(evd.EigenValues.Select(l => l.Real).ToArray()).Select(Math.Sqrt).ToArray());
        return v * roots * v.Transpose();
    }

    static double[] Eigenvalues(Matrix<double> symmetric) => Clamped(symmetric.Evd(Symmetricity.Symmetric).EigenValues.Select(l => l.Real).ToArray());

    /// <summary>
    /// Eigenvalues at or below the solver's resolution, n·ε·max|λ|, set to 0: they are round-off of true zeros (singular
    /// covariances), and their square roots (√1e-16 = 1e-8 each) would otherwise add up to a visible error.
    /// </summary>
    static double[] Clamped(double[] eigenvalues)
    {
        double floor = eigenvalues.Length * 2.2e-16 * eigenvalues.Select(Math.Abs).DefaultIfEmpty(0).Max();
        return eigenvalues.Select(l => l <= floor ? 0 : l).ToArray();
    }

    static Matrix<double> Symmetrize(Matrix<double> m) => (m + m.Transpose()) / 2;
}
