using ILGPU;
using IlgpuVq.Kernels;
using IlgpuVq.Engine.Ops;
using V = ILGPU.ArrayView<float>;

namespace IlgpuVq.Engine.Native;

/// <summary>
/// Native <see cref="Conv2dKernels"/> (same signatures and results up to summation order): per image, the column matrix
/// (<see cref="Im2Col"/>; skipped for 1×1 stride-1 unpadded convolutions, where it is the image itself) and one
/// <see cref="Sgemm"/>; stride-1 3×3 convolutions (forward, input and weight gradients) and 4×4 stride-2 ones (by
/// <see cref="Conv2dSpaceToDepth"/> and <see cref="Conv2dDepthToSpace"/>) by <see cref="Conv2dWinograd"/> instead where it is faster
/// (<see cref="Conv2dWinograd.Applies"/>, <see cref="Conv2dWinograd.AppliesToWeightGradient"/>). Batches of at least <see cref="NativeParallel.Workers"/> images run one image per task (<see cref="ForItems"/>); smaller ones
/// parallelize inside the product. Sums run in an order fixed by the problem, so results are bit-identical for any worker count.
/// </summary>
public static unsafe class Conv2dNative
{
    internal static void Register(NativeRegistry r)
    {
        r.Add(Conv2d.ForwardKernel, Forward);
        r.Add(Conv2d.InputGradKernel, InputGrad);
        r.Add(Conv2d.WeightGradKernel, WeightGrad);
        r.Add(Conv2d.BiasGradKernel, BiasGrad);
        r.Add(Conv2d.SumChunksKernel, SumChunks);
    }

    /// <summary>y_n [Cout, OH·OW] = w [Cout, Cin·KH·KW] · col(x_n) (+ bias[co]) for every image n.</summary>
    public static void Forward(Index1D thread, int total, int stride, V x, V w, V bias, V y, Conv2dGeometry g, int hasBias)
    {
        float* px = NativeView.Ptr(x), pw = NativeView.Ptr(w), py = NativeView.Ptr(y);
        float* pb = hasBias != 0 ? NativeView.Ptr(bias) : null;
        long inImage = (long)g.Cin * g.H * g.W, outImage = (long)g.Cout * g.OH * g.OW;
        int depth = g.Cin * g.KH * g.KW;
        if (Conv2dWinograd.Applies(g))
        {
            float* u = Conv2dWinograd.PackWeights(pw, g);
            var wg = g;
            ForItems(g.N, (n, inside) => Conv2dWinograd.ForwardImage(px + n * inImage, u, pb, py + n * outImage, wg, inside));
            return;
        }
        if (Conv2dSpaceToDepth.Fits(g) && Conv2dWinograd.Applies(Conv2dSpaceToDepth.Reduced(g)))
        {
            var rg = Conv2dSpaceToDepth.Reduced(g);
            float* u = Conv2dWinograd.PackWeights(SpaceToDepthKernel(pw, g), rg);
            long xsImage = (long)rg.Cin * rg.H * rg.W;
            var sg = g;
            ForItems(g.N, (n, inside) =>
            {
                float* xs = NativeScratch.Get(ScratchSlot.SpaceToDepth, xsImage);
                Conv2dSpaceToDepth.FromImage(px + n * inImage, xs, sg);
                Conv2dWinograd.ForwardImage(xs, u, pb, py + n * outImage, rg, inside);
            });
            return;
        }
        float* packed = PackedWeights(StridedMatrix.RowMajor(pw, depth), g.Cout, depth);
        ForItems(g.N, (n, inside) =>
        {
            float* yn = py + n * outImage;
            ForwardImage(px + n * inImage, packed, yn, g, inside);
            if (pb != null) AddChannelBias(yn, pb, g.Cout, g.OH * g.OW);
        });
    }

    /// <summary>y [Cout, OH·OW] = w [Cout, Cin·KH·KW] · col(x) for one image x, w packed by <see cref="PackedWeights"/>.</summary>
    static void ForwardImage(float* x, float* packedW, float* y, in Conv2dGeometry g, bool inside)
    {
        int pixels = g.OH * g.OW, depth = g.Cin * g.KH * g.KW;
        if (IsPointwise(g))
        {
            Sgemm.Multiply(g.Cout, pixels, depth, 1f, packedW, StridedMatrix.RowMajor(PointwiseInput(x, g), pixels), y, pixels, false, inside);
            return;
        }
        // Chunks of whole K slices, each added to y in order: the same sums as one product over all of col(x).
        for (int r0 = 0, chunk = ChunkRows(depth, pixels, Sgemm.BlockDepth); r0 < depth; r0 += chunk)
        {
            int rows = Math.Min(chunk, depth - r0);
            Sgemm.Multiply(g.Cout, pixels, rows, 1f, Sgemm.PackedFrom(packedW, g.Cout, r0), StridedMatrix.RowMajor(Columns(x, g, r0, rows, inside), pixels),
                y, pixels, r0 > 0, inside);
        }
    }

    /// <summary>The kernel matrix w [rows, depth] packed for <see cref="Sgemm"/> once per launch, in the calling thread's buffer
    /// (read by every worker): each image's product then skips packing it (packing the weights per image was about 5 % of a
    /// ref VQ-VAE step).</summary>
    static float* PackedWeights(StridedMatrix w, int rows, int depth)
    {
        float* packed = NativeScratch.Get(ScratchSlot.PackedWeights, Sgemm.PackedASize(SgemmTile.Current, rows, depth));
        Sgemm.PackA(rows, depth, w, packed);
        return packed;
    }

    /// <summary>
    /// dx_n = fold(wᵀ [Cin·KH·KW, Cout] · dy_n [Cout, OH·OW]) (+ bias[ci], conv_transpose2d's forward) for every image n. A stride-1
    /// convolution with fewer output than input channels (a residual block's 3×3 conv to its narrow hidden width) instead
    /// runs as the forward convolution of dy with the flipped, transposed kernel (<see cref="AsForwardOfGradient"/>): its
    /// column matrix has Cout·KH·KW rows instead of Cin·KH·KW, and nothing is folded (1.4–1.7× on 128 ← 32, 3×3, 16×16).
    /// Where that forward is a <see cref="Conv2dWinograd"/> one (3×3), it runs so for any channel ratio. A 4×4 stride-2 convolution
    /// runs as the Winograd 2×2 convolution of dy into the phases of dx (<see cref="Conv2dDepthToSpace"/>) where that applies.
    /// With <see cref="Conv2dGeometry.ReluInput"/> each image's dx is masked where x ≤ 0 once it is complete, while it is still in
    /// cache (<see cref="MaskByRelu"/>).
    /// </summary>
    public static void InputGrad(Index1D thread, int total, int stride, V dy, V w, V bias, V x, V dx, Conv2dGeometry g, int hasBias)
    {
        float* pdy = NativeView.Ptr(dy), pw = NativeView.Ptr(w), pdx = NativeView.Ptr(dx), px = g.ReluInput != 0 ? NativeView.Ptr(x) : null;
        float* pb = hasBias != 0 ? NativeView.Ptr(bias) : null;
        int pixels = g.OH * g.OW, depth = g.Cin * g.KH * g.KW, plane = g.H * g.W, khw = g.KH * g.KW;
        long inImage = (long)g.Cin * plane, outImage = (long)g.Cout * pixels;
        bool pointwise = IsPointwise(g);
        var transposed = AsForwardOfGradient(g);
        if (transposed.HasValue && Conv2dWinograd.Applies(transposed.Value))
        {
            var tg = transposed.Value;
            float* u = Conv2dWinograd.PackWeights(FlippedKernel(pw, g), tg);
            ForItems(g.N, (n, inside) =>
            {
                Conv2dWinograd.ForwardImage(pdy + n * outImage, u, pb, pdx + n * inImage, tg, inside);
                MaskByRelu(px, pdx, n, inImage);
            });
            return;
        }
        if (Conv2dDepthToSpace.Fits(g) && Conv2dWinograd.Applies(Conv2dDepthToSpace.Reduced(g)))
        {
            var rg = Conv2dDepthToSpace.Reduced(g);
            float* reduced = NativeScratch.Get(ScratchSlot.SpaceToDepthKernel, (long)g.Cout * g.Cin * 16);
            Conv2dDepthToSpace.FromKernel(pw, reduced, g);
            float* u = Conv2dWinograd.PackWeights(reduced, rg);
            Conv2dDepthToSpace.Edges(pdy, pw, pdx, g);
            long phasesImage = (long)rg.Cout * rg.OH * rg.OW;
            var sg = g;
            ForItems(g.N, (n, inside) =>
            {
                float* phases = NativeScratch.Get(ScratchSlot.SpaceToDepth, phasesImage), dxn = pdx + n * inImage;
                Conv2dWinograd.ForwardImage(pdy + n * outImage, u, null, phases, rg, inside);
                if (inside) ForRanges(0, sg.Cin, (a, b) => Conv2dDepthToSpace.ToImage(phases, dxn, sg, a, b));
                else Conv2dDepthToSpace.ToImage(phases, dxn, sg, 0, sg.Cin);
                if (pb != null) AddChannelBias(dxn, pb, sg.Cin, plane);
                MaskByRelu(px, pdx, n, inImage);
            });
            return;
        }
        if (g.Cout >= g.Cin) transposed = null; // the column matrix would not be smaller
        int chunk = pointwise ? depth : ChunkRows(depth, pixels, khw);
        long perChunk = Sgemm.PackedASize(SgemmTile.Current, chunk, g.Cout);
        // wᵀ packed once per launch: the flipped kernel [Cin, Cout·KH·KW], or wᵀ [Cin·KH·KW, Cout] a chunk of rows at a time.
        float* packed;
        if (transposed.HasValue) packed = PackedWeights(StridedMatrix.RowMajor(FlippedKernel(pw, g), g.Cout * khw), g.Cin, g.Cout * khw);
        else
        {
            packed = NativeScratch.Get(ScratchSlot.PackedWeights, (depth + chunk - 1) / chunk * perChunk);
            for (int r0 = 0, c = 0; r0 < depth; r0 += chunk, c++)
                Sgemm.PackA(Math.Min(chunk, depth - r0), g.Cout, StridedMatrix.Transposed(pw + r0, depth), packed + c * perChunk);
        }
        ForItems(g.N, (n, inside) =>
        {
            float* dyn = pdy + n * outImage, dxn = pdx + n * inImage;
            if (transposed.HasValue) ForwardImage(dyn, packed, dxn, transposed.Value, inside);
            else if (pointwise) Sgemm.Multiply(depth, pixels, g.Cout, 1f, packed, StridedMatrix.RowMajor(dyn, pixels), dxn, pixels, false, inside);
            else
                // The rows of whole input channels at a time, folded into their dx planes while they are still in cache.
                for (int r0 = 0, c = 0; r0 < depth; r0 += chunk, c++)
                {
                    int rows = Math.Min(chunk, depth - r0);
                    float* cols = NativeScratch.Get(ScratchSlot.Columns, (long)rows * pixels), first = cols - (long)r0 * pixels;
                    Sgemm.Multiply(rows, pixels, g.Cout, 1f, packed + c * perChunk, StridedMatrix.RowMajor(dyn, pixels), cols, pixels, false, inside);
                    int c0 = r0 / khw, c1 = (r0 + rows) / khw;
                    if (inside) ForRanges(c0, c1, (a, b) => Im2Col.Fold(first, dxn, g, a, b));
                    else Im2Col.Fold(first, dxn, g, c0, c1);
                }
            if (pb != null) AddChannelBias(dxn, pb, g.Cin, plane);
            MaskByRelu(px, pdx, n, inImage);
        });
    }

    /// <summary>dx_n[i] = x_n[i] &gt; 0 ? dx_n[i] : 0 over image n's <paramref name="inImage"/> values (ReLU's backward, the
    /// kernels' exact compare), on the calling thread; nothing when <paramref name="x"/> is null (no ReLU input).</summary>
    static void MaskByRelu(float* x, float* dx, int n, long inImage)
    {
        if (x == null) return;
        float* dxn = dx + n * inImage;
        SimdMap.BinaryRange(x + n * inImage, dxn, dxn, 0, inImage, default(RectifiedGradient));
    }

    /// <summary>
    /// For a stride-1 convolution, not 1×1, with padding below the kernel size: the geometry of dx as a forward
    /// convolution, dx[ci, ih, iw] = Σ_{co,kh',kw'} w̃[ci, co, kh', kw'] · dy[co, ih − PT' + kh', iw − PL' + kw'] with
    /// w̃[ci, co, kh', kw'] = w[co, ci, KH−1−kh', KW−1−kw'] and PT' = KH−1−PT, PL' = KW−1−PL (out-of-range dy reads as zero);
    /// null otherwise.
    /// </summary>
    static Conv2dGeometry? AsForwardOfGradient(in Conv2dGeometry g)
    {
        if (g.SH != 1 || g.SW != 1 || IsPointwise(g) || g.PT > g.KH - 1 || g.PL > g.KW - 1) return null;
        return new Conv2dGeometry
        {
            N = g.N, Cin = g.Cout, H = g.OH, W = g.OW, Cout = g.Cin, OH = g.H, OW = g.W,
            KH = g.KH, KW = g.KW, SH = 1, SW = 1, PT = g.KH - 1 - g.PT, PL = g.KW - 1 - g.PL,
        };
    }

    /// <summary>w̃ [Cin, Cout, KH, KW] with w̃[ci, co, kh, kw] = w[co, ci, KH−1−kh, KW−1−kw], in the calling thread's buffer.</summary>
    static float* FlippedKernel(float* w, in Conv2dGeometry g)
    {
        int khw = g.KH * g.KW;
        float* f = NativeScratch.Get(ScratchSlot.FlippedKernel, (long)g.Cin * g.Cout * khw);
        for (int ci = 0; ci < g.Cin; ci++)
            for (int co = 0; co < g.Cout; co++)
            {
                float* src = w + ((long)co * g.Cin + ci) * khw, dst = f + ((long)ci * g.Cout + co) * khw;
                for (int t = 0; t < khw; t++) dst[t] = src[khw - 1 - t];
            }
        return f;
    }

    /// <summary>w' [Cout, 4·Cin, 2, 2] of a 4×4 stride-2 kernel (<see cref="Conv2dSpaceToDepth.FromKernel"/>), in the calling
    /// thread's buffer.</summary>
    static float* SpaceToDepthKernel(float* w, in Conv2dGeometry g)
    {
        float* reduced = NativeScratch.Get(ScratchSlot.SpaceToDepthKernel, (long)g.Cout * g.Cin * 16);
        Conv2dSpaceToDepth.FromKernel(w, reduced, g);
        return reduced;
    }

    /// <summary>Most image groups a weight-gradient chunk is split into (see <see cref="WeightGrad"/>).</summary>
    public const int WeightGroups = 8;

    /// <summary>
    /// dw_c [Cout, Cin·KH·KW] = Σ_{n in chunk c} dy_n [Cout, OH·OW] · col(x_n)ᵀ; the chunks (batchesPerChunk images each,
    /// ceil(N / batchesPerChunk) of them) go to dw[c·Cout·Cin·KH·KW + ...]. A chunk's images are cut
    /// into G = min(images, <see cref="WeightGroups"/>) contiguous groups (fixed by the problem); each group sums its images in
    /// ascending order, and the G partial sums are added in group order, so the result does not depend on the worker count (on
    /// the Winograd path the partial sums are of the transformed gradients dU, transformed back to dw once per chunk).
    /// Groups run as <see cref="ForItems"/> runs items.
    /// </summary>
    public static void WeightGrad(Index1D thread, int total, int stride, V dy, V x, V dw, Conv2dGeometry g, int batchesPerChunk)
    {
        float* pdy = NativeView.Ptr(dy), px = NativeView.Ptr(x), pdw = NativeView.Ptr(dw);
        if (Conv2dSpaceToDepth.Fits(g) && Conv2dWinograd.AppliesToWeightGradient(Conv2dSpaceToDepth.Reduced(g)))
        {
            // The 2×2 form's gradients from the whole batch's xs, then each chunk's permuted back.
            var rg = Conv2dSpaceToDepth.Reduced(g);
            long xsImage = (long)rg.Cin * rg.H * rg.W, inImage = (long)g.Cin * g.H * g.W, weights = (long)g.Cout * g.Cin * 16;
            int chunks = (g.N + batchesPerChunk - 1) / batchesPerChunk;
            float* xs = NativeScratch.Get(ScratchSlot.SpaceToDepth, g.N * xsImage);
            float* dws = NativeScratch.Get(ScratchSlot.SpaceToDepthKernel, chunks * weights);
            var sg = g;
            NativeParallel.For(g.N, n => Conv2dSpaceToDepth.FromImage(px + n * inImage, xs + n * xsImage, sg));
            WeightGradChunks(pdy, xs, dws, rg, batchesPerChunk);
            for (int c = 0; c < chunks; c++) Conv2dSpaceToDepth.ToKernel(dws + c * weights, pdw + c * weights, g);
            return;
        }
        WeightGradChunks(pdy, px, pdw, g, batchesPerChunk);
    }

    static void WeightGradChunks(float* pdy, float* px, float* pdw, Conv2dGeometry g, int batchesPerChunk)
    {
        int chunks = (g.N + batchesPerChunk - 1) / batchesPerChunk; // from the shape, not from total (the launch contract)
        int pixels = g.OH * g.OW, depth = g.Cin * g.KH * g.KW;
        long inImage = (long)g.Cin * g.H * g.W, outImage = (long)g.Cout * pixels, weights = (long)g.Cout * depth;
        bool pointwise = IsPointwise(g), winograd = Conv2dWinograd.AppliesToWeightGradient(g);
        for (int c = 0; c < chunks; c++)
        {
            float* dwc = pdw + c * weights;
            int first = c * batchesPerChunk, count = Math.Min(g.N, first + batchesPerChunk) - first;
            if (count <= 0)
            {
                new Span<float>(dwc, checked((int)weights)).Clear();
                continue;
            }
            int groups = Math.Min(count, WeightGroups);
            // Winograd's groups sum their transformed gradients dU (one transform back for the chunk); the others dw itself.
            long partial = winograd ? Conv2dWinograd.TransformedKernelSize(g) : weights;
            float* sum = winograd ? NativeScratch.Get(ScratchSlot.WinogradKernelGradient, partial) : dwc;
            float* partials = groups == 1 ? sum : NativeScratch.Get(ScratchSlot.Partials, groups * partial);
            ForItems(groups, Group);
            if (groups > 1) SumGroups(partials, groups, partial, sum);
            if (winograd) Conv2dWinograd.KernelGradient(sum, dwc, g);

            void Group(int gi, bool inside)
            {
                int n0 = first + count * gi / groups, n1 = first + count * (gi + 1) / groups;
                float* dwg = partials + gi * partial;
                if (winograd)
                {
                    Conv2dWinograd.TransformedWeightGradient(px, pdy, n0, n1, dwg, g, inside);
                    return;
                }
                if (pointwise)
                {
                    for (int n = n0; n < n1; n++)
                        Sgemm.Multiply(g.Cout, depth, pixels, 1f, StridedMatrix.RowMajor(pdy + n * outImage, pixels),
                            StridedMatrix.Transposed(PointwiseInput(px + n * inImage, g), pixels), dwg, depth, n > n0, inside);
                    return;
                }
                // Column blocks of dw, each summed over the group's images (from the rows of col(x_n) it needs) before the next: the
                // block [Cout, chunk] stays in L2 across the images, where sweeping all of dw per image (590 KB at 128 → 128, 3×3)
                // streamed it from L3 for every image. Each element still adds the images' products in ascending order.
                for (int r0 = 0, chunk = ChunkRows(depth, pixels, WeightGradGranule); r0 < depth; r0 += chunk)
                {
                    int rows = Math.Min(chunk, depth - r0);
                    if (!FillsTilesBetterTransposed(g.Cout, rows))
                    {
                        for (int n = n0; n < n1; n++)
                            Sgemm.Multiply(g.Cout, rows, pixels, 1f, StridedMatrix.RowMajor(pdy + n * outImage, pixels),
                                StridedMatrix.Transposed(Columns(px + n * inImage, g, r0, rows, inside), pixels), dwg + r0, depth, n > n0, inside);
                        continue;
                    }
                    // The transposed block [rows, Cout] = col(x_n) · dy_nᵀ, then transposed into dw: the same FMA chains (a
                    // product's two factors swap), so the same bits, in fewer padded tiles (3→64, 4×4: 48 × 64 instead of 64 × 64).
                    float* block = NativeScratch.Get(ScratchSlot.TransposedProduct, (long)rows * g.Cout);
                    for (int n = n0; n < n1; n++)
                        Sgemm.Multiply(rows, g.Cout, pixels, 1f, StridedMatrix.RowMajor(Columns(px + n * inImage, g, r0, rows, inside), pixels),
                            StridedMatrix.Transposed(pdy + n * outImage, pixels), block, g.Cout, n > n0, inside);
                    for (int r = 0; r < rows; r++)
                        for (int co = 0; co < g.Cout; co++) dwg[(long)co * depth + r0 + r] = block[(long)r * g.Cout + co];
                }
            }
        }
    }

    /// <summary>Whether a product with C [m, n] fills the register tiles of <see cref="SgemmTile.Current"/> (MR × NR) with less
    /// padding as its transpose [n, m].</summary>
    static bool FillsTilesBetterTransposed(int m, int n)
    {
        var tile = SgemmTile.Current;
        long Padded(int rows, int cols) => (long)((rows + tile.Rows - 1) / tile.Rows * tile.Rows) * ((cols + tile.Cols - 1) / tile.Cols * tile.Cols);
        return Padded(n, m) < Padded(m, n);
    }

    /// <summary>dst[i] = ((p_0[i] + p_1[i]) + …) + p_{G−1}[i] for the G partial sums p_g = partials + g·length.</summary>
    static void SumGroups(float* partials, int groups, long length, float* dst) =>
        NativeParallel.ForBlocks(length, 1 << 14, (start, end) =>
        {
            int count = (int)(end - start);
            new Span<float>(partials + start, count).CopyTo(new Span<float>(dst + start, count));
            for (int gi = 1; gi < groups; gi++) NativeVector.AddTo(dst + start, partials + gi * length + start, count);
        });

    /// <summary>db[chunk·channels + c] = Σ_{n in the chunk} Σ_p dy[n, c, p] (see <see cref="Conv2dKernels.BiasGrad"/>).</summary>
    public static void BiasGrad(Index1D thread, int total, int stride, V dy, V db, int batch, int channels, int plane, int batchesPerChunk)
    {
        float* pdy = NativeView.Ptr(dy), pdb = NativeView.Ptr(db);
        NativeParallel.ForBlocks(total, Math.Max(1, (1 << 16) / Math.Max(1, plane * batchesPerChunk)), (start, end) =>
        {
            for (long t = start; t < end; t++)
            {
                int chunk = (int)(t / channels), c = (int)(t - (long)chunk * channels);
                int nEnd = Math.Min(batch, (chunk + 1) * batchesPerChunk);
                float sum = 0f;
                for (int n = chunk * batchesPerChunk; n < nEnd; n++) sum += NativeVector.Sum(pdy + ((long)n * channels + c) * plane, plane);
                pdb[t] = sum;
            }
        });
    }

    /// <summary>y[i] = Σ_{c &lt; chunks} partial[c·length + i] in order of c: bit-identical to <see cref="Conv2dKernels.SumChunks"/>.</summary>
    public static void SumChunks(Index1D thread, int total, int stride, V partial, V y, int chunks, int length)
    {
        float* pp = NativeView.Ptr(partial), py = NativeView.Ptr(y);
        NativeParallel.ForBlocks(total, 1 << 14, (start, end) =>
        {
            new Span<float>(py + start, (int)(end - start)).Clear();
            for (int c = 0; c < chunks; c++) NativeVector.AddTo(py + start, pp + (long)c * length + start, (int)(end - start));
        });
    }

    /// <summary>What a 1×1 convolution's product reads of one image x_n [Cin, H·W]: x_n itself, or with
    /// <see cref="Conv2dGeometry.ReluInput"/> relu(x_n) in the calling thread's buffer (the other paths rectify as they read x:
    /// <see cref="Im2Col.Expand"/>, the Winograd input transform, <see cref="Conv2dSpaceToDepth.FromImage"/>).</summary>
    static float* PointwiseInput(float* xn, in Conv2dGeometry g)
    {
        if (g.ReluInput == 0) return xn;
        long count = (long)g.Cin * g.H * g.W;
        float* rectified = NativeScratch.Get(ScratchSlot.RectifiedInput, count);
        SimdMap.UnaryRange(xn, rectified, 0, count, default(Rectified));
        return rectified;
    }

    /// <summary>True when col(x) is x itself: a 1×1 kernel, stride 1, no padding.</summary>
    static bool IsPointwise(in Conv2dGeometry g) =>
        g.KH == 1 && g.KW == 1 && g.SH == 1 && g.SW == 1 && g.PT == 0 && g.PL == 0 && g.OH == g.H && g.OW == g.W;

    /// <summary>Columns of dw per weight-gradient chunk: a multiple of 32, so that only the last chunk has edge tiles in
    /// <see cref="Sgemm"/> (its tiles are 16 or 32 columns wide).</summary>
    const int WeightGradGranule = 32;

    /// <summary>Floats of the column matrix per chunk: 64 Ki (256 KiB) stays in a core's L2 beside the packed operands, where the
    /// whole matrix (1.2 MB for 128 channels, 3×3, 16×16) would go out to L3 between being written and being read. Settable
    /// for tests: any size gives the same bits.</summary>
    internal static int ChunkFloats { get; set; } = 1 << 16;

    /// <summary>Rows of col(x) per chunk: about <see cref="ChunkFloats"/> / pixels, a whole number of <paramref name="granule"/>
    /// rows (at least one), at most all <paramref name="depth"/>.</summary>
    static int ChunkRows(int depth, int pixels, int granule) =>
        Math.Min(depth, Math.Max(granule, ChunkFloats / pixels / granule * granule));

    /// <summary>Rows [r0, r0+rows) of col(x_n) in the calling thread's column buffer (row r0 first), filled in parallel over
    /// blocks of rows when <paramref name="parallel"/>.</summary>
    static float* Columns(float* xn, Conv2dGeometry g, int r0, int rows, bool parallel)
    {
        int pixels = g.OH * g.OW;
        float* cols = NativeScratch.Get(ScratchSlot.Columns, (long)rows * pixels), first = cols - (long)r0 * pixels;
        if (parallel) ForRanges(r0, r0 + rows, (a, b) => Im2Col.Expand(xn, first, g, a, b));
        else Im2Col.Expand(xn, first, g, r0, r0 + rows);
        return cols;
    }

    /// <summary>body(i, inside) for every item i (an image, or a group of images): one task per item when there are at least
    /// as many items as workers (inside = false), else in order with the work of each item parallelized inside (inside = true).</summary>
    static void ForItems(int items, Action<int, bool> body)
    {
        if (items >= NativeParallel.Workers) NativeParallel.For(items, i => body(i, false));
        else
            for (int i = 0; i < items; i++) body(i, true);
    }

    /// <summary>body(a, b) over a fixed split of [start, end) into about 8 blocks, in parallel.</summary>
    static void ForRanges(int start, int end, Action<int, int> body) =>
        NativeParallel.ForBlocks(end - start, Math.Max(1, (end - start) / 8), (a, b) => body(start + (int)a, start + (int)b));

    /// <summary>y[c, p] += bias[c] for a [channels, plane] block.</summary>
    static void AddChannelBias(float* y, float* bias, int channels, int plane)
    {
        for (int c = 0; c < channels; c++) NativeVector.AddScalar(y + (long)c * plane, bias[c], plane);
    }
}
