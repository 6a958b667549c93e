namespace MeTAI.Dicom;

/// <summary>
/// The one exception the DICOM reader raises for malformed or unsupported input. It names the file (when known), the
/// tag being read (when known) and the byte offset in the stream where the problem was found.
/// </summary>
public sealed class DicomFormatException : Exception
{
    /// <summary>Creates the exception.</summary>
    public DicomFormatException()
        : this("Malformed DICOM input.")
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    public DicomFormatException(string message)
        : base(message)
    {
        Reason = message;
    }

    /// <summary>Creates the exception with a message and cause.</summary>
    public DicomFormatException(string message, Exception innerException)
        : base(message, innerException)
    {
        Reason = message;
    }

    /// <summary>Creates the exception with location details.</summary>
    public DicomFormatException(string reason, long offset, DicomTag? tag = null, string? filePath = null, Exception? innerException = null)
        : base(Compose(reason, offset, tag, filePath), innerException)
    {
        Reason = reason;
        Offset = offset;
        Tag = tag;
        FilePath = filePath;
    }

    /// <summary>What is wrong, without the location.</summary>
    public string Reason { get; }

    /// <summary>Byte offset in the file or stream, or −1 when unknown.</summary>
    public long Offset { get; } = -1;

    /// <summary>The tag being read, when known.</summary>
    public DicomTag? Tag { get; }

    /// <summary>The file, when known.</summary>
    public string? FilePath { get; }

    /// <summary>The same error with the file path filled in.</summary>
    public DicomFormatException WithFile(string filePath) =>
        FilePath is null ? new DicomFormatException(Reason, Offset, Tag, filePath, InnerException) : this;

    private static string Compose(string reason, long offset, DicomTag? tag, string? filePath)
    {
        string where = filePath is null ? string.Empty : $"{filePath}: ";
        string tagText = tag is null ? string.Empty : $" at tag {tag}";
        string offsetText = offset >= 0 ? $" (byte offset {offset})" : string.Empty;
        return $"{where}{reason}{tagText}{offsetText}";
    }
}
