using IlgpuVq.Data;
using IlgpuVq.Engine.Devices;
using IlgpuVq.Engine.Serialization;
using IlgpuVq.Models.Training;

namespace IlgpuVq.Cli;

/// <summary>
/// An error caused by the user's input (a bad option value, a missing or unreadable file, a run that does not fit):
/// <see cref="CliRunner"/> prints it as one <c>error:</c> line and exits with 2. It is the one way a command reports bad
/// input: the CLI throws it where it validates, <see cref="From"/> maps the libraries' own input errors to it in one place,
/// and <see cref="Check"/> runs a library validation whose <see cref="ArgumentException"/> is about values the user gave.
/// Every other exception is a bug and keeps its stack trace.
/// </summary>
public sealed class UserError(string message, Exception? cause = null) : Exception(message, cause)
{
    /// <summary>
    /// The user error an exception stands for, or null for a bug. The libraries report bad input with their own types, whose
    /// messages are written for the user: <see cref="DataError"/> (data, labels, splits, batch sizes that do not fit the data),
    /// <see cref="CheckpointException"/> (a checkpoint that is missing or does not match), <see cref="DeviceNotFoundException"/>
    /// and <see cref="NonFiniteLossException"/> (a learning rate that diverges); a path that cannot be read or written is an
    /// <see cref="IOException"/> or <see cref="UnauthorizedAccessException"/>.
    /// </summary>
    public static UserError? From(Exception e) => e switch
    {
        UserError user => user,
        DataError or CheckpointException or DeviceNotFoundException or NonFiniteLossException => new UserError(e.Message, e),
        IOException or UnauthorizedAccessException => new UserError(e.Message, e),
        AggregateException { InnerExceptions: [var only] } => From(only), // thrown on a worker thread (batch loader)
        _ => null,
    };

    /// <summary>Runs a library validation of values the user gave (a configuration's <c>Validate</c>, a name lookup): its
    /// <see cref="ArgumentException"/> becomes a user error, prefixed with <paramref name="option"/> when given.</summary>
    public static T Check<T>(Func<T> validate, string? option = null)
    {
        try { return validate(); }
        catch (ArgumentException e) { throw new UserError(option == null ? e.Message : $"{option}: {e.Message}", e); }
    }

    /// <inheritdoc cref="Check{T}"/>
    public static void Check(Action validate, string? option = null) => Check(() => { validate(); return 0; }, option);
}
