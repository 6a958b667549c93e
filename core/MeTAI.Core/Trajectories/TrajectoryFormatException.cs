namespace MeTAI.Core.Trajectories;

/// <summary>
/// A trajectory or corridor file that cannot be used: unreadable JSON, a missing or mistyped field, or values that
/// break the type's rules. The message starts with the file (or source) name and the field, e.g.
/// <c>corridor.json: radiusMm must be positive and finite, got -1.</c>
/// </summary>
public sealed class TrajectoryFormatException : FormatException
{
    /// <summary>Creates the exception with a message naming <paramref name="source"/> and the problem.</summary>
    public TrajectoryFormatException(string source, string problem, Exception? inner = null)
        : base($"{source}: {problem}", inner)
    {
        SourceName = source;
    }

    /// <summary>Creates an exception with a plain message.</summary>
    public TrajectoryFormatException()
        : base("Invalid trajectory or corridor file.")
    {
        SourceName = string.Empty;
    }

    /// <summary>Creates an exception with a plain message.</summary>
    public TrajectoryFormatException(string message)
        : base(message)
    {
        SourceName = string.Empty;
    }

    /// <summary>Creates an exception with a plain message and an inner exception.</summary>
    public TrajectoryFormatException(string message, Exception innerException)
        : base(message, innerException)
    {
        SourceName = string.Empty;
    }

    /// <summary>The file path or source name the problem was found in.</summary>
    public string SourceName { get; }
}
