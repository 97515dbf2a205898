using System.Text.Json;
using IlgpuVq.Data;
using IlgpuVq.Engine.Autograd;
using IlgpuVq.Engine.Memory;
using IlgpuVq.Engine.Serialization;
using IlgpuVq.Engine.Tensors;
using IlgpuVq.Models.Training;
using IlgpuVq.Models.VqVae;

namespace IlgpuVq.Models.Evaluation;

/// <summary>Reconstruction quality over a whole split: means of per-image MSE, PSNR (dB) and SSIM.</summary>
public sealed record ReconstructionMetrics(int Images, double Mse, double Psnr, double Ssim)
{
    public override string ToString() => $"{Images} images: MSE {Mse:0.00000}, PSNR {Psnr:0.00} dB, SSIM {Ssim:0.0000}";

    public void Save(string path) => AtomicFile.WriteAllText(path, JsonSerializer.Serialize(
        new Dictionary<string, double> { ["images"] = Images, ["mse"] = Mse, ["psnr"] = Psnr, ["ssim"] = Ssim },
        new JsonSerializerOptions { WriteIndented = true }));
}

/// <summary>Reconstructs every image of a split (no grad) and measures it; optionally writes a grid of the first images.</summary>
public static class ReconstructionReport
{
    public static ReconstructionMetrics Evaluate(VqVaeModel model, IImageBatchSource images, string? gridPath = null, int gridImages = 8)
    {
        double mse = 0, psnr = 0, ssim = 0;
        int count = 0;
        List<float>? originals = gridPath != null ? new() : null, recons = gridPath != null ? new() : null;
        using (GradMode.NoGrad())
            foreach (var batch in images.Epoch(0, 0))
            {
                float[] recon;
                using (new TensorScope())
                {
                    var x = Tensor.FromArray(model.Device, batch.Images, batch.Count, 3, batch.ImageSize, batch.ImageSize);
                    recon = model.Forward(x).Reconstruction.ToArray();
                }
                int per = 3 * batch.ImageSize * batch.ImageSize;
                for (int n = 0; n < batch.Count; n++)
                {
                    var a = batch.Images.AsSpan(n * per, per);
                    var b = recon.AsSpan(n * per, per);
                    var m = ImageMetrics.Mse(a, b);
                    mse += m;
                    psnr += ImageMetrics.Psnr(m);
                    ssim += ImageMetrics.Ssim(a, b, 3, batch.ImageSize, batch.ImageSize);
                    if (originals != null && originals.Count < gridImages * per)
                    {
                        originals.AddRange(a.ToArray());
                        recons!.AddRange(b.ToArray());
                    }
                }
                count += batch.Count;
            }
        if (gridPath != null && originals!.Count > 0)
        {
            int size = images.ImageSize, shown = originals.Count / (3 * size * size);
            ImageGrid.Save(gridPath, [.. originals, .. recons!], size, shown, ["original", "reconstruction"], TrainingFigures.GridScale(size));
        }
        return count == 0 ? new ReconstructionMetrics(0, 0, 0, 0) : new ReconstructionMetrics(count, mse / count, psnr / count, ssim / count);
    }
}
