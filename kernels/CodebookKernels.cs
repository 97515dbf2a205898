using ILGPU;

namespace IlgpuVq.Kernels;

/// <summary>
/// Vector quantization. <see cref="NearestCode"/> is the fused distance + argmin: one thread per row of z,
/// the group streaming the codebook [K,D] through dynamic shared memory a tile of whole codes at a time, each
/// thread keeping its best squared distance Σ_d (z_d − e_d)² in a register (exact ties keep the lowest index,
/// since codes are visited in ascending order and only a strictly smaller distance replaces the best). z is read
/// as rows of D values with stride <c>hw</c> between them: hw = 1 is the [N,D] layout and hw = H·W reads
/// [B,D,H,W] directly (row = b·HW + s), so the NCHW entry point needs no permute.
/// The VQ losses use <see cref="SquaredDiffPartials"/> + <see cref="ReductionKernels.AddPartialsInOrder"/> (a fixed-order two-pass mean,
/// deterministic) and <see cref="ScaledDiff"/> for their gradients.
/// </summary>
public static class CodebookKernels
{
    /// <summary>
    /// indices[row] = argmin_k Σ_d (z[row, d] − codebook[k, d])² for row &lt; rows. Explicitly grouped (any group
    /// size, any number of groups: group g handles row blocks g, g + groups, … of the group size, a loop whose bound is
    /// uniform over the group, so every thread reaches the same barriers); dynamic shared memory must hold <paramref name="tileCodes"/>·<paramref name="dim"/> floats.
    /// </summary>
    public static void NearestCode(ArrayView<float> z, ArrayView<float> codebook, ArrayView<int> indices,
        int rows, int codes, int dim, int hw, int tileCodes)
    {
        var tile = SharedMemory.GetDynamic<float>();
        int tid = Group.IdxX;
        int groupSize = Group.DimX;
        for (int rowBase = Grid.IdxX * groupSize; rowBase < rows; rowBase += Grid.DimX * groupSize)
        {
            int row = rowBase + tid;
            bool active = row < rows;
            int b = active ? row / hw : 0;
            int s = active ? row - b * hw : 0;
            long zBase = (long)b * dim * hw + s;
            float best = float.PositiveInfinity;
            int bestCode = 0;
            for (int k0 = 0; k0 < codes; k0 += tileCodes)
            {
                int n = codes - k0 < tileCodes ? codes - k0 : tileCodes;
                int elements = n * dim;
                for (int e = tid; e < elements; e += groupSize) tile[e] = codebook[(long)k0 * dim + e];
                Group.Barrier();
                if (active)
                {
                    for (int j = 0; j < n; j++)
                    {
                        float dist = 0f;
                        for (int d = 0; d < dim; d++)
                        {
                            float diff = z[zBase + (long)d * hw] - tile[j * dim + d];
                            dist += diff * diff;
                        }
                        if (dist < best)
                        {
                            best = dist;
                            bestCode = k0 + j;
                        }
                    }
                }
                Group.Barrier();
            }
            if (active) indices[row] = bestCode;
        }
    }

    /// <summary>partials[c] = Σ (a[j] − b[j])² over j in [c·chunk, min(n, (c+1)·chunk)), ascending; work items chunk count.</summary>
    public static void SquaredDiffPartials(Index1D thread, int total, int stride, ArrayView<float> a, ArrayView<float> b, ArrayView<float> partials, int n, int chunk)
    {
        for (long item = thread; item < total; item += stride)
        {
            int c = (int)item;
            long start = (long)(int)c * chunk;
            long end = start + chunk < n ? start + chunk : n;
            float sum = 0f;
            for (long j = start; j < end; j++)
            {
                float diff = a[j] - b[j];
                sum += diff * diff;
            }
            partials[c] = sum;
        }
    }

    /// <summary>y[i] = scale · dy[0] · (a[i] − b[i]) (the gradient of a scaled mean squared difference).</summary>
    public static void ScaledDiff(Index1D thread, int total, int stride, ArrayView<float> a, ArrayView<float> b, ArrayView<float> dy, ArrayView<float> y, float scale)
    {
        for (long item = thread; item < total; item += stride)
        {
            int i = (int)item;
            y[i] = scale * dy[0] * (a[i] - b[i]);
        }
    }
}
