using System.CommandLine;
using System.Diagnostics;
using IlgpuVq.Data;
using IlgpuVq.Models.Evaluation;
using IlgpuVq.Models.Prior;
using IlgpuVq.Models.Training;

namespace IlgpuVq.Cli.Commands;

/// <summary>
/// <c>ilgpuvq sample</c>: new lesions from a prior and its VQ-VAE, drawn <c>--batch-size</c> samples at a time (bounded memory), with
/// a progress bar over the rows. The <c>--out</c> folder gets samples.png, a grid of the first batch, and one PNG per sample at the
/// model's image size, named <c>&lt;class&gt;_&lt;index&gt;.png</c>. Sample i's image depends only on the seed, i and its
/// class (not on the batch size or the sampler).
/// </summary>
public static class SampleCommand
{
    public static Command Create()
    {
        var vqvae = new Option<string>("--vqvae") { Description = "VQ-VAE run folder or checkpoint", Required = true };
        var prior = new Option<string>("--prior") { Description = "prior run folder or checkpoint", Required = true };
        var count = new Option<int>("--count") { DefaultValueFactory = _ => 64 };
        var cls = new Option<string?>("--class") { Description = "class to sample (class-conditional priors); default: a row per class" };
        var temperature = new Option<float>("--temperature") { DefaultValueFactory = _ => 1f };
        var guidance = GuidanceOption.Create();
        var seed = SeedOption.Create("the samples");
        var outFolder = OutOption.Create($"{GridName} (a grid of the first batch: all samples when --count ≤ --batch-size) and each sample as <class>_<index>.png at the model's image size");
        var outDir = OldOptionName.Create(outFolder, "--out-dir");
        var batch = new Option<int>("--batch-size") { Description = "samples drawn at once", DefaultValueFactory = _ => 64 };
        var batchOld = OldOptionName.Create(batch, "--batch");
        var sampler = new Option<string>("--sampler") { Description = "cached (per-layer caches, default) or naive (a full prior forward per position: the reference)", DefaultValueFactory = _ => "cached" };
        sampler.AcceptOnlyFromAmong(PriorSamplers.Names);
        var device = DeviceOption.Create();
        var cmd = new Command("sample", "Sample code maps with the prior (raster order, on the device) and decode them with the VQ-VAE")
            { vqvae, prior, count, cls, temperature, guidance, seed, outFolder, outDir, batch, batchOld, sampler, device };
        OldOptionName.Require(cmd, outFolder, outDir);
        var quality = new QualityProbeOptions();
        quality.AddTo(cmd, everyEpochs: false);
        cmd.SetAction(parse =>
        {
            int n = parse.GetValue(count), perBatch = OldOptionName.Value(parse, batch, batchOld);
            float t = parse.GetValue(temperature);
            if (n < 1) throw new UserError($"--count must be at least 1 (got {n})");
            if (perBatch < 1) throw new UserError($"--batch-size must be at least 1 (got {perBatch})");
            if (!(t > 0)) throw new UserError($"--temperature must be > 0 (got {t})");
            var kind = PriorSamplers.Parse(parse.GetValue(sampler)!);
            using var model = PixelCnnVqVae.Load(DeviceOption.Open(parse.GetValue(device)!), parse.GetValue(vqvae)!, parse.GetValue(prior)!);
            float s = GuidanceOption.Check(parse.GetValue(guidance), model.Prior.Config);
            var (classes, columns, rowLabels) = Layout(model, parse.GetValue(cls), n);
            var (path, dir) = Outputs(parse.GetValue(outFolder), parse.GetValue(outDir));
            int size = model.ImageSize, per = 3 * size * size, digits = Math.Max(4, (n - 1).ToString().Length);
            var clock = Stopwatch.StartNew();
            float[]? grid = null;
            var probe = quality.Parse(parse);
            List<float[]> probeImages = new();
            List<int[]> probeCodes = new();
            int batches = (n + perBatch - 1) / perBatch;
            SamplingConsole.Run(batches, model.Height, progress =>
            {
                for (int k = 0; k < batches; k++)
                {
                    int start = k * perBatch, m = Math.Min(perBatch, n - start);
                    var (images, codes) = model.Sample(m, classes[start..(start + m)], t, SeedOption.Stream(parse.GetValue(seed)), kind, rows =>
                    {
                        model.VqVae.Device.Synchronize();
                        return progress(k, rows);
                    }, start, s);
                    grid ??= images;
                    if (probe != null) { probeImages.Add(images); probeCodes.Add(codes); } // the probe reads every sample: kept only when asked for
                    if (dir == null) continue;
                    for (int i = 0; i < m; i++)
                    {
                        string name = model.Prior.Config.ClassConditional && model.ClassNames.Count > 0 ? model.ClassNames[classes[start + i]] : "sample";
                        ImageGrid.Save(Path.Combine(dir, $"{name}_{(start + i).ToString($"D{digits}")}.png"), images.AsSpan(i * per, per), size, 1, padding: 0);
                    }
                }
            });
            var seconds = clock.Elapsed.TotalSeconds;
            if (path != null)
            {
                bool all = batches == 1;
                ImageGrid.Save(path, grid!, size, all ? columns : (int)Math.Ceiling(Math.Sqrt(grid!.Length / per)), all ? rowLabels : null, TrainingFigures.GridScale(size));
            }
            if (probe != null)
                Console.WriteLine(probe.Describe(model.VqVae.Device, parse.GetValue(vqvae)!,
                    new SampleSet(probeImages.SelectMany(a => a).ToArray(), probeCodes.SelectMany(a => a).ToArray(), classes, model.Prior.Config.ClassConditional), size));
            string where = string.Join(", ", new[] { path, dir == null ? null : $"{dir}/ ({n} files)" }.Where(s => s != null));
            Console.WriteLine($"sampled {n} images of {size}x{size} ({model.Height}x{model.Width} codes, {kind.Name()} sampler{(PriorSampling.Guided(s) ? $", guidance {s}" : "")}) in {seconds:0.0} s on {model.VqVae.Device.Name}: {where}");
            return 0;
        });
        return cmd;
    }

    /// <summary>The grid's name in the <c>--out</c> folder.</summary>
    const string GridName = "samples.png";

    /// <summary>Where the grid and the single samples go (each null for none): <c>--out DIR</c> gets both; the old spellings
    /// (kept for one release) <c>--out FILE.png</c> the grid and <c>--out-dir DIR</c> the single samples.</summary>
    static (string? Grid, string? Each) Outputs(string? outFolder, string? oldOutDir)
    {
        var grid = outFolder == null ? null : OutOption.File(outFolder, GridName);
        var each = outFolder == null || OutOption.IsOldFileSpelling(outFolder) ? oldOutDir : outFolder;
        if (each != null) Directory.CreateDirectory(each);
        return (grid, each);
    }

    /// <summary>The class of every sample, and the grid's columns and row labels: a row per class unless <c>--class</c> is given.</summary>
    static (int[] Classes, int Columns, IReadOnlyList<string>? RowLabels) Layout(PixelCnnVqVae model, string? className, int n)
    {
        if (className != null)
            return (Enumerable.Repeat(UserError.Check(() => model.ClassIndex(className), "--class"), n).ToArray(), (int)Math.Ceiling(Math.Sqrt(n)), null);
        if (model.Prior.Config.ClassConditional)
        {
            int rows = model.ClassNames.Count, columns = (n + rows - 1) / rows;
            return (Enumerable.Range(0, n).Select(i => Math.Min(rows - 1, i / columns)).ToArray(), columns, model.ClassNames);
        }
        return (new int[n], (int)Math.Ceiling(Math.Sqrt(n)), null);
    }
}
