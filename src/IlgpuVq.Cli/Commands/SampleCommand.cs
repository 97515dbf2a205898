using System.CommandLine;
using System.Diagnostics;
using IlgpuVq.Data;
using IlgpuVq.Models.Evaluation;
using IlgpuVq.Models.Prior;
using IlgpuVq.Models.Training;

namespace IlgpuVq.Cli.Commands;

/// <summary><c>ilgpuvq sample</c>: new lesions from a prior and its VQ-VAE.</summary>
public static class SampleCommand
{
    public static Command Create()
    {
        var vqvae = new Option<string>("--vqvae") { Description = "VQ-VAE run folder or checkpoint", Required = true };
        var prior = new Option<string>("--prior") { Description = "prior run folder or checkpoint", Required = true };
        var count = new Option<int>("--count") { DefaultValueFactory = _ => 64 };
        var cls = new Option<string?>("--class") { Description = "class to sample (class-conditional priors); default: a row per class" };
        var temperature = new Option<float>("--temperature") { DefaultValueFactory = _ => 1f };
        var seed = new Option<ulong>("--seed") { DefaultValueFactory = _ => 0UL };
        var outFile = new Option<string>("--out") { Description = "PNG grid", Required = true };
        var outDir = new Option<string?>("--out-dir") { Description = "also write each sample as its own PNG here" };
        var device = DeviceOption.Create();
        var cmd = new Command("sample", "Sample code maps with the prior (raster order, on the device) and decode them with the VQ-VAE")
            { vqvae, prior, count, cls, temperature, seed, outFile, outDir, device };
        var quality = new QualityProbeOptions();
        quality.AddTo(cmd, everyEpochs: false);
        cmd.SetAction(parse =>
        {
            int n = parse.GetValue(count);
            float t = parse.GetValue(temperature);
            if (n < 1) throw new UserError($"--count must be at least 1 (got {n})");
            if (!(t > 0)) throw new UserError($"--temperature must be > 0 (got {t})");
            using var model = PixelCnnVqVae.Load(DeviceOption.Open(parse.GetValue(device)!), parse.GetValue(vqvae)!, parse.GetValue(prior)!);
            var className = parse.GetValue(cls);
            int[] classes;
            IReadOnlyList<string>? rowLabels = null;
            int columns = (int)Math.Ceiling(Math.Sqrt(n));
            try
            {
                if (className != null) classes = Enumerable.Repeat(model.ClassIndex(className), n).ToArray();
                else if (model.Prior.Config.ClassConditional)
                {
                    int rows = model.ClassNames.Count;
                    columns = (n + rows - 1) / rows;
                    classes = Enumerable.Range(0, n).Select(i => Math.Min(rows - 1, i / columns)).ToArray();
                    rowLabels = model.ClassNames;
                }
                else classes = new int[n];
            }
            catch (ArgumentException e) { throw new UserError(e.Message); }
            var clock = Stopwatch.StartNew();
            var (images, codes) = model.Sample(n, classes, t, parse.GetValue(seed));
            var seconds = clock.Elapsed.TotalSeconds;
            var path = parse.GetValue(outFile)!;
            int size = model.ImageSize;
            ImageGrid.Save(path, images, size, columns, rowLabels, TrainingFigures.GridScale(size));
            if (parse.GetValue(outDir) is { } dir)
            {
                Directory.CreateDirectory(dir);
                int per = 3 * size * size;
                for (int i = 0; i < n; i++)
                    ImageGrid.Save(Path.Combine(dir, $"sample_{i:D4}.png"), images.AsSpan(i * per, per), size, 1);
            }
            if (quality.Parse(parse) is { } q)
                Console.WriteLine(q.Describe(model.VqVae.Device, parse.GetValue(vqvae)!, new SampleSet(images, codes, classes, model.Prior.Config.ClassConditional), size));
            Console.WriteLine($"sampled {n} images of {size}x{size} ({model.Height}x{model.Width} codes) in {seconds:0.0} s on {model.VqVae.Device.Name}: {path}");
            return 0;
        });
        return cmd;
    }
}
