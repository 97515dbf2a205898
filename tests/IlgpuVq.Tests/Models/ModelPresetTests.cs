using IlgpuVq.Cli.Commands;
using IlgpuVq.Models.Training;

namespace IlgpuVq.Tests.Models;

/// <summary>A preset is one record (both models' architecture and schedule, and the classifier's), and the demo, <c>bench step</c>
/// and <c>profile</c> read the same one: <c>--preset demo</c> is the model the demo trains.</summary>
public class ModelPresetTests
{
    [Fact]
    public void Presets_are_found_by_name_and_unknown_names_list_them()
    {
        foreach (var name in ModelPreset.Names) Assert.Same(ModelPreset.Named(name), ModelPreset.Named(name.ToUpperInvariant()));
        var e = Assert.Throws<ArgumentException>(() => ModelPreset.Named("huge"));
        Assert.Contains("isic, ref, demo", e.Message);
        Assert.All(ModelPreset.All, p => Assert.Equal(p.VqVae.NumCodes, p.Prior.NumCodes)); // the prior models the VQ-VAE's codes
        Assert.All(ModelPreset.All, p => p.VqVae.Validate(64));
    }

    [Fact]
    public void The_demo_trains_the_demo_preset()
    {
        var demo = ModelPreset.Named("demo");
        Assert.Same(demo, new DemoPlan().Preset);
        // The demo's sizes (issue 14: bench step --preset demo must time these): VQ-VAE 64 channels, 2 residual blocks of 32,
        // D=32, K=128; prior 64 channels, 6 gated layers, head 128; 14, 7 (cosine-decayed) and 8 epochs at AdamW 2e-3.
        Assert.Equal((64, 32, 2, 32, 128), (demo.VqVae.Hidden, demo.VqVae.ResidualHidden, demo.VqVae.ResidualBlocks, demo.VqVae.EmbeddingDim, demo.VqVae.NumCodes));
        Assert.Equal((64, 6, 128), (demo.Prior.Channels, demo.Prior.Layers, demo.Prior.HeadChannels));
        Assert.Equal((14, 7, 8), (demo.VqVaeSchedule.Epochs, demo.PriorSchedule.Epochs, demo.ClassifierSchedule.Epochs));
        Assert.Equal(LearningRateSchedule.Cosine, demo.PriorSchedule.LrSchedule);
        Assert.Equal(2, demo.ClassifierFor(7, new DemoPlan().ImageSize).StemStride);
        // A guided demo needs its prior trained with the null class (else evaluate refuses the scale).
        Assert.True(!IlgpuVq.Models.Prior.PriorSampling.Guided(new DemoPlan().Guidance) || demo.Prior.HasNullClass || demo.Prior.LabelDropout > 0);
    }

    [Fact]
    public void A_schedule_sets_batch_size_learning_rate_and_weight_decay_and_keeps_the_rest()
    {
        var settings = new IlgpuVq.Models.Prior.PriorSettings { Seed = 9, SamplesPerClass = 2, BatchSize = 1, LearningRate = 1, WeightDecay = 1 };
        var applied = new TrainingSchedule(3, 16, 5e-3f, 0.02f).Apply(settings);
        Assert.Equal((16, 5e-3f, 0.02f), (applied.BatchSize, applied.LearningRate, applied.WeightDecay));
        Assert.Equal((9UL, 2), (applied.Seed, applied.SamplesPerClass));
        Assert.Equal(1, settings.BatchSize); // a copy: the given settings are unchanged
    }

    [Fact]
    public void Step_harnesses_of_a_preset_build_its_models()
    {
        var device = TestDevices.Get("cpu");
        using (var vq = VqVaeStepHarness.ForPreset(device, "demo", 1, 16))
        {
            Assert.Equal("VQ-VAE batch 1x3x16x16", vq.Describe);
            vq.Step();
        }
        using var prior = PriorStepHarness.ForPreset(device, "demo", 1, 16);
        Assert.StartsWith($"PixelCNN prior (64 ch, {ModelPreset.Demo.Prior.Layers} layers, K=128) batch 1x4x4", prior.Describe);
        Assert.Throws<IlgpuVq.Cli.UserError>(() => VqVaeStepHarness.ForPreset(device, "huge", 1, 16));
    }
}
