using IlgpuVq.Data;
using IlgpuVq.Engine.Autograd;
using IlgpuVq.Engine.Memory;
using IlgpuVq.Engine.Tensors;
using IlgpuVq.Models.VqVae;

namespace IlgpuVq.Models.Training;

/// <summary>The figures a training run refreshes: loss curves and reconstruction grids.</summary>
public static class TrainingFigures
{
    /// <summary>Train and validation curves of every <c>train_*</c>/<c>val_*</c> loss in the metrics log, and the sample-quality readings of <c>--classifier</c>.</summary>
    public static void LossPlot(string path, MetricsLog metrics)
    {
        var keys = metrics.Rows.SelectMany(r => r.Keys).Distinct()
            .Where(k => (k.StartsWith("train_") || k.StartsWith("val_")) && (k.EndsWith("_loss") || k.EndsWith("nll")) || k is "frechet_distance" or "class_consistency").ToList();
        var series = keys.Select(k => { var (x, y) = metrics.Series(k); return new PlotSeries(k, x, y); }).ToList();
        LinePlot.Save(path, series, "losses", "epoch", "loss (log10)", logY: true);
    }

    /// <summary>Pixel scale that makes small images visible in a grid (about 96 px per image, at least 1).</summary>
    public static int GridScale(int imageSize) => Math.Max(1, 96 / imageSize);

    /// <summary>Rows of originals above their reconstructions, for a fixed set of images.</summary>
    public static void ReconstructionGrid(string path, VqVaeModel model, Batch images)
    {
        float[] recon;
        using (GradMode.NoGrad())
        using (new TensorScope())
        {
            var x = Tensor.FromArray(model.Device, images.Images, images.Count, 3, images.ImageSize, images.ImageSize);
            recon = model.Forward(x).Reconstruction.ToArray();
        }
        ImageGrid.Save(path, [.. images.Images, .. recon], images.ImageSize, images.Count, ["original", "reconstruction"], GridScale(images.ImageSize));
    }
}
