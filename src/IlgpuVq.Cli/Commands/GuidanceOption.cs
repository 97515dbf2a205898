using System.CommandLine;
using IlgpuVq.Models.Prior;

namespace IlgpuVq.Cli.Commands;

/// <summary>
/// <c>--guidance</c> of <c>sample</c> and <c>evaluate</c>: the classifier-free guidance scale s (draws from
/// l_null + s·(l_cond − l_null); <see cref="PriorSampling"/>). 1, the default, is plain conditional sampling; other values
/// need a prior trained with <c>train prior --label-dropout</c> and cost twice the sampling time.
/// </summary>
public static class GuidanceOption
{
    public const string Name = "--guidance";

    public static Option<float> Create() => new(Name)
    {
        Description = "classifier-free guidance scale s ≥ 0 (1 = plain conditional sampling; > 1 strengthens the class, needs a prior trained with --label-dropout; twice the sampling time)",
        DefaultValueFactory = _ => 1f,
    };

    /// <summary>The scale, checked against the loaded prior: one <c>error:</c> line for a negative scale or for guidance
    /// without a null class.</summary>
    public static float Check(float guidance, PixelCnnConfig prior)
    {
        UserError.Check(() => PriorSampling.CheckGuidance(prior, guidance), Name);
        return guidance;
    }
}
