using System.Text.Json;

namespace IlgpuVq.Cli.Commands;

/// <summary>Reads a run folder's config.json: a file that is not JSON, or lacks what the reader needs, is a user error naming
/// it (a run folder cut short or edited by hand), not a stack trace.</summary>
public static class RunConfigJson
{
    /// <summary>What <paramref name="read"/> takes from the root of <paramref name="path"/> (it must not keep the element).</summary>
    public static T Read<T>(string path, Func<JsonElement, T> read)
    {
        try
        {
            using var doc = JsonDocument.Parse(File.ReadAllText(path));
            return read(doc.RootElement);
        }
        catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException or FormatException)
        {
            throw new UserError($"'{path}' is not a run's config.json as ilgpuvq writes it ({e.Message})", e);
        }
    }
}
