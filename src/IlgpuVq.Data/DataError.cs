namespace IlgpuVq.Data;

/// <summary>
/// An error caused by the user's data or options (missing folder, bad CSV, impossible split, ...).
/// The CLI prints it as one line <c>error: message</c> with exit code 2, never a stack trace.
/// </summary>
public sealed class DataError(string message) : Exception(message);
