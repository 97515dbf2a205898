using System.CommandLine;

namespace IlgpuVq.Cli.Commands;

/// <summary>
/// <c>--seed</c>, the same on every command: an <see cref="int"/>, default 0, seeding every random choice the command makes;
/// the same seed gives the same output. The models' generators take a <see cref="ulong"/>: <see cref="Stream"/> hands them
/// the seed's bits, so <c>--seed N</c> draws the stream it drew when <c>sample</c>, <c>evaluate</c> and <c>bench sample</c>
/// took a <see cref="ulong"/> (for every N up to 2^31 − 1).
/// </summary>
public static class SeedOption
{
    public const string Name = "--seed";

    /// <summary><c>--seed</c> described by what it seeds.</summary>
    public static Option<int> Create(string seeds) => new(Name) { Description = $"seed of {seeds} (the same seed gives the same output)", DefaultValueFactory = _ => 0 };

    /// <summary>The seed as the models' generators take it.</summary>
    public static ulong Stream(int seed) => unchecked((ulong)seed);
}
