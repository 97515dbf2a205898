namespace IlgpuVq.Checks.Reference;

/// <summary>Double-precision specification of <c>IlgpuVq.Engine.Ops.Gemm</c>: C[M,N] = op(A)·op(B), row-major.</summary>
public static class GemmReference
{
    /// <summary>A is [M,K] (or [K,M] when <paramref name="transA"/>), B is [K,N] (or [N,K] when <paramref name="transB"/>).</summary>
    public static double[] Apply(double[] a, double[] b, int m, int n, int k, bool transA, bool transB)
    {
        var c = new double[m * n];
        for (int i = 0; i < m; i++)
            for (int j = 0; j < n; j++)
            {
                double sum = 0;
                for (int p = 0; p < k; p++)
                {
                    var av = transA ? a[p * m + i] : a[i * k + p];
                    var bv = transB ? b[j * k + p] : b[p * n + j];
                    sum += av * bv;
                }
                c[i * n + j] = sum;
            }
        return c;
    }
}
