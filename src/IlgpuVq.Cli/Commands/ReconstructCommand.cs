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
        var vqvae = new Option<string>("--vqvae") { Description = "VQ-VAE run folder or checkpoint" };
        var checkpoint = OldOptionName.Create(vqvae, "--checkpoint");
        var data = new DataCliOptions();
        var split = new Option<string>("--split") { Description = "which images to reconstruct", DefaultValueFactory = _ => "test" };
        split.AcceptOnlyFromAmong("test", "train", "all");
        var outFolder = OutOption.Create("reconstructions_<split>.png (originals and reconstructions) and reconstructions_<split>.json (MSE, PSNR, SSIM)");
        var device = DeviceOption.Create();
        var cmd = new Command("reconstruct", "Reconstruct a split with a VQ-VAE: a grid of originals and reconstructions plus MSE, PSNR and SSIM (as JSON beside it) in --out; " +
                                             "data, image size and split default to the run's") { vqvae, checkpoint, split, outFolder, device };
        OldOptionName.Require(cmd, vqvae, checkpoint);
        data.AddTo(cmd);
        cmd.SetAction(parse =>
        {
            var which = parse.GetValue(split)!;
            var vqvaePath = OldOptionName.Value(parse, vqvae, checkpoint)!;
            using var vq = VqVaeCheckpoint.Load(DeviceOption.Open(parse.GetValue(device)!), vqvaePath);
            if (parse.GetValue(data.ImageSize) is { } given && given != vq.ImageSize)
                throw new UserError($"the VQ-VAE was trained on {vq.ImageSize} px images; --image-size {given} does not match (omit it to use {vq.ImageSize})");
            var runInfo = VqVaeRunInfo.Read(vqvaePath);
            parse = runInfo != null ? runInfo.WithRunDefaults(parse)
                : RunArguments.WithDefaults(parse, new Dictionary<string, string> { ["--image-size"] = $"{vq.ImageSize}" }, vq.ModelFile);
            using var dataset = data.Open(parse, vq.Model.Config.Downsample);
            var dataSplit = runInfo != null && runInfo.DataSpec == parse.GetValue(data.Data)
                ? DataSplit.ReadCsv(runInfo.SplitCsv, dataset)
                : DataSplit.Create(dataset, data.TestSize(parse), parse.GetValue(data.Seed));
            int[] indices = which switch { "test" => dataSplit.Test, "train" => dataSplit.Train, _ => [.. dataSplit.Train, .. dataSplit.Test] };
            var path = OutOption.File(parse.GetValue(outFolder)!, $"reconstructions_{which}.png");
            using var images = DatasetBatches.ForEvaluation(dataset, indices, 32);
            var metrics = ReconstructionReport.Evaluate(vq.Model, images, path);
            metrics.Save(Path.ChangeExtension(Path.GetFullPath(path), ".json")); // never the run folder's test_metrics.json
            Console.WriteLine($"{which} split of {parse.GetValue(data.Data)} at {dataset.ImageSize} px, {metrics}; grid: {path}, metrics: {Path.ChangeExtension(path, ".json")}");
            return 0;
        });
        return cmd;
    }
}
