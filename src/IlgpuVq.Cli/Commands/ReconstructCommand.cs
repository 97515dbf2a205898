using System.CommandLine;
using IlgpuVq.Data;
using IlgpuVq.Models.Evaluation;
using IlgpuVq.Models.Training;
using IlgpuVq.Models.VqVae;

namespace IlgpuVq.Cli.Commands;

/// <summary>
/// <c>ilgpuvq reconstruct</c>: reconstruction grid and MSE/PSNR/SSIM of a VQ-VAE over a split. Given a run folder, every data
/// option not on the command line comes from the run (data spec, trained image size, seed, split); an <c>--image-size</c>
/// other than the trained one is an error.
/// </summary>
public static class ReconstructCommand
{
    public static Command Create()
    {
        var checkpoint = new Option<string>("--checkpoint") { Description = "VQ-VAE run folder or checkpoint", Required = true };
        var data = new DataCliOptions();
        var split = new Option<string>("--split") { Description = "which images to reconstruct", DefaultValueFactory = _ => "test" };
        split.AcceptOnlyFromAmong("test", "train", "all");
        var outFile = new Option<string>("--out") { Description = "PNG grid of originals and reconstructions", Required = true };
        var device = DeviceOption.Create();
        var cmd = new Command("reconstruct", "Reconstruct a split with a VQ-VAE: grid PNG plus MSE, PSNR and SSIM (also saved as JSON beside --out: FILE.png → FILE.json); " +
                                             "data, image size and split default to the run's") { checkpoint, split, outFile, device };
        data.AddTo(cmd);
        cmd.SetAction(parse =>
        {
            var which = parse.GetValue(split)!;
            using var vq = VqVaeCheckpoint.Load(DeviceOption.Open(parse.GetValue(device)!), parse.GetValue(checkpoint)!);
            if (parse.GetValue(data.ImageSize) is { } given && given != vq.ImageSize)
                throw new UserError($"the VQ-VAE was trained on {vq.ImageSize} px images; --image-size {given} does not match (omit it to use {vq.ImageSize})");
            var runInfo = VqVaeRunInfo.Read(parse.GetValue(checkpoint)!);
            parse = runInfo != null ? runInfo.WithRunDefaults(parse)
                : RunArguments.WithDefaults(parse, new Dictionary<string, string> { ["--image-size"] = $"{vq.ImageSize}" }, vq.ModelFile);
            using var dataset = data.Open(parse, vq.Model.Config.Downsample);
            var dataSplit = runInfo != null && runInfo.DataSpec == parse.GetValue(data.Data)
                ? DataSplit.ReadCsv(runInfo.SplitCsv, dataset)
                : DataSplit.Create(dataset, data.TestSize(parse), parse.GetValue(data.Seed));
            int[] indices = which switch { "test" => dataSplit.Test, "train" => dataSplit.Train, _ => [.. dataSplit.Train, .. dataSplit.Test] };
            var path = parse.GetValue(outFile)!;
            using var images = DatasetBatches.ForEvaluation(dataset, indices, 32);
            var metrics = ReconstructionReport.Evaluate(vq.Model, images, path);
            metrics.Save(Path.ChangeExtension(Path.GetFullPath(path), ".json")); // never the run folder's test_metrics.json
            Console.WriteLine($"{which} split of {parse.GetValue(data.Data)} at {dataset.ImageSize} px, {metrics}; grid: {path}, metrics: {Path.ChangeExtension(path, ".json")}");
            return 0;
        });
        return cmd;
    }
}
