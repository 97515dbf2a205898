using ILGPU;
using IlgpuVq.Kernels;
using IlgpuVq.Engine.Ops;
using V = ILGPU.ArrayView<float>;

namespace IlgpuVq.Engine.Native;

/// <summary>
/// Native elementwise kernels (<see cref="ElementwiseKernels"/>, <see cref="LossKernels.MseBackward"/>): 16-lane loops of
/// <see cref="SimdMap"/> with each kernel's exact arithmetic (+, −, ×, compare; no FMA), so results equal the kernels'
/// bit for bit; tanh, sigmoid and the gated activation use vector exp (<see cref="SaturatingFunctions"/>), within a few ulp of the kernels.
/// Every function does the whole launch of <c>total</c> elements.
/// </summary>
public static unsafe class ElementwiseNative
{
    internal static void Register(NativeRegistry r)
    {
        r.Add(Elementwise.FillKernel, Fill);
        r.Add(Elementwise.AddKernel, Add);
        r.Add(Elementwise.AddInPlaceKernel, AddInPlace);
        r.Add(Elementwise.SubKernel, Sub);
        r.Add(Elementwise.MulKernel, Mul);
        r.Add(Elementwise.ScaleKernel, Scale);
        r.Add(Elementwise.ScaleInPlaceKernel, ScaleInPlace);
        r.Add(Elementwise.AddScalarKernel, AddScalar);
        r.Add(Elementwise.BiasAddKernel, BiasAdd);
        r.Add(Elementwise.ReluKernel, Relu);
        r.Add(Elementwise.ReluBackwardKernel, ReluBackward);
        r.Add(Elementwise.TanhKernel, Tanh);
        r.Add(Elementwise.TanhBackwardKernel, TanhBackward);
        r.Add(Elementwise.SigmoidKernel, Sigmoid);
        r.Add(Elementwise.SigmoidBackwardKernel, SigmoidBackward);
        r.Add(Elementwise.GatedKernel, GatedActivation);
        r.Add(Elementwise.GatedBackwardKernel, GatedActivationBackward);
        r.Add(Loss.BackwardKernel, MseBackward);
    }

    static float* P(V view) => NativeView.Ptr(view);

    /// <summary>y[i] = value.</summary>
    public static void Fill(Index1D thread, int total, int stride, V y, float value) => SimdMap.Unary(P(y), P(y), total, new Constant(value));

    /// <summary>y[i] = a[i] + b[i].</summary>
    public static void Add(Index1D thread, int total, int stride, V a, V b, V y) => SimdMap.Binary(P(a), P(b), P(y), total, new Sum());

    /// <summary>y[i] = y[i] + x[i].</summary>
    public static void AddInPlace(Index1D thread, int total, int stride, V y, V x) => SimdMap.Binary(P(y), P(x), P(y), total, new Sum());

    /// <summary>y[i] = a[i] − b[i].</summary>
    public static void Sub(Index1D thread, int total, int stride, V a, V b, V y) => SimdMap.Binary(P(a), P(b), P(y), total, new Difference());

    /// <summary>y[i] = a[i] · b[i].</summary>
    public static void Mul(Index1D thread, int total, int stride, V a, V b, V y) => SimdMap.Binary(P(a), P(b), P(y), total, new Product());

    /// <summary>y[i] = x[i] · s.</summary>
    public static void Scale(Index1D thread, int total, int stride, V x, float s, V y) => SimdMap.Unary(P(x), P(y), total, new Scaled(s));

    /// <summary>y[i] = y[i] · s.</summary>
    public static void ScaleInPlace(Index1D thread, int total, int stride, V y, float s) => SimdMap.Unary(P(y), P(y), total, new Scaled(s));

    /// <summary>y[i] = x[i] + s.</summary>
    public static void AddScalar(Index1D thread, int total, int stride, V x, float s, V y) => SimdMap.Unary(P(x), P(y), total, new Shifted(s));

    /// <summary>y[i] = x[i] + bias[(i / inner) mod channels].</summary>
    public static void BiasAdd(Index1D thread, int total, int stride, V x, V bias, int channels, int inner, V y) =>
        PlaneRuns.Add(P(x), P(bias), channels, inner, P(y), total);

    /// <summary>y[i] = x[i] &gt; 0 ? x[i] : 0.</summary>
    public static void Relu(Index1D thread, int total, int stride, V x, V y) => SimdMap.Unary(P(x), P(y), total, new Rectified());

    /// <summary>dx[i] = x[i] &gt; 0 ? dy[i] : 0.</summary>
    public static void ReluBackward(Index1D thread, int total, int stride, V x, V dy, V dx) =>
        SimdMap.Binary(P(x), P(dy), P(dx), total, new RectifiedGradient());

    /// <summary>y[i] = tanh(clamp(x[i], −20, 20)) (vector form, see <see cref="SaturatingFunctions"/>).</summary>
    public static void Tanh(Index1D thread, int total, int stride, V x, V y) => SimdMap.Unary(P(x), P(y), total, new Tanh());

    /// <summary>dx[i] = dy[i] · (1 − y[i]²).</summary>
    public static void TanhBackward(Index1D thread, int total, int stride, V y, V dy, V dx) =>
        SimdMap.Binary(P(y), P(dy), P(dx), total, new TanhGradient());

    /// <summary>y[i] = sigmoid(x[i]) (overflow-free form, vector; see <see cref="SaturatingFunctions"/>).</summary>
    public static void Sigmoid(Index1D thread, int total, int stride, V x, V y) => SimdMap.Unary(P(x), P(y), total, new Sigmoid());

    /// <summary>dx[i] = dy[i] · y[i] · (1 − y[i]).</summary>
    public static void SigmoidBackward(Index1D thread, int total, int stride, V y, V dy, V dx) =>
        SimdMap.Binary(P(y), P(dy), P(dx), total, new SigmoidGradient());

    /// <summary>y[n,c,j] = tanh(x[n,c,j]) · sigmoid(x[n,C+c,j]) for x [N,2C,inner], y [N,C,inner] (<see cref="GatedNative"/>).</summary>
    public static void GatedActivation(Index1D thread, int total, int stride, V x, int channels, int inner, V y) =>
        GatedNative.Forward(P(x), P(y), total, (long)channels * inner);

    /// <summary>dx[a] = dy·σ(b)·(1 − tanh²(a)) and dx[b] = dy·tanh(a)·σ(b)·(1 − σ(b)) for each output element's input pair (a, b).</summary>
    public static void GatedActivationBackward(Index1D thread, int total, int stride, V x, V dy, int channels, int inner, V dx) =>
        GatedNative.Backward(P(x), P(dy), P(dx), total, (long)channels * inner);

    /// <summary>dp[i] = (scale · dy[0]) · (p[i] − t[i]).</summary>
    public static void MseBackward(Index1D thread, int total, int stride, V p, V t, V dy, float scale, V dp) =>
        SimdMap.Binary(P(p), P(t), P(dp), total, new ScaledDifference(scale * P(dy)[0]));
}
