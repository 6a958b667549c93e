namespace MeTAI.Planner.Influence;

/// <summary>An influence cache file that cannot be used; the message names the file and the field.</summary>
public sealed class InfluenceCacheException : IOException
{
    /// <summary>Creates the exception.</summary>
    public InfluenceCacheException()
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    public InfluenceCacheException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and a cause.</summary>
    public InfluenceCacheException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>An error about <paramref name="field"/> of cache file <paramref name="path"/>.</summary>
    public InfluenceCacheException(string path, string field, string message)
        : base($"{path}: influence cache {field}: {message}")
    {
        Path = path;
        Field = field;
    }

    /// <summary>The file.</summary>
    public string? Path { get; }

    /// <summary>The header field or section that failed.</summary>
    public string? Field { get; }
}
