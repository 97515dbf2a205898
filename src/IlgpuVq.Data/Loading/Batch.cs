namespace IlgpuVq.Data;

/// <summary>
/// A batch of images on the host, ready for the accelerator — the one image batch type, made by <see cref="BatchLoader"/> and by
/// in-memory sources: <see cref="Images"/> is NCHW <c>[Count, 3, ImageSize, ImageSize]</c> in [−1, 1]; <see cref="Labels"/> are
/// class labels (−1 when unlabeled); <see cref="Indices"/> are the images' indices in their dataset (or in-memory set).
/// </summary>
public sealed class Batch
{
    public required float[] Images { get; init; }
    public required int[] Labels { get; init; }
    public required int[] Indices { get; init; }
    public required int ImageSize { get; init; }

    /// <summary>Epoch this batch belongs to.</summary>
    public int Epoch { get; init; }

    /// <summary>Position of this batch within its epoch (0-based).</summary>
    public int BatchInEpoch { get; init; }

    /// <summary>Number of images (the last evaluation batch may be smaller than the batch size).</summary>
    public int Count => Indices.Length;
}
