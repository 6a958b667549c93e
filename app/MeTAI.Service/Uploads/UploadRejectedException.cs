namespace MeTAI.Service.Uploads;

/// <summary>An upload that is refused: answered with problem details (status, title, detail, and the offending entry).</summary>
public sealed class UploadRejectedException : Exception
{
    /// <summary>Creates the exception.</summary>
    public UploadRejectedException()
        : this(StatusCodes.Status400BadRequest, "Upload rejected", "The upload was rejected.")
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    public UploadRejectedException(string message)
        : this(StatusCodes.Status400BadRequest, "Upload rejected", message)
    {
    }

    /// <summary>Creates the exception with a message and cause.</summary>
    public UploadRejectedException(string message, Exception innerException)
        : base(message, innerException)
    {
        Status = StatusCodes.Status400BadRequest;
        Title = "Upload rejected";
    }

    /// <summary>Creates the exception.</summary>
    public UploadRejectedException(int status, string title, string detail, string? entry = null, Exception? innerException = null)
        : base(detail, innerException)
    {
        Status = status;
        Title = title;
        Entry = entry;
    }

    /// <summary>HTTP status.</summary>
    public int Status { get; }

    /// <summary>Problem title.</summary>
    public string Title { get; }

    /// <summary>The zip entry at fault, when one is.</summary>
    public string? Entry { get; }

    /// <summary>Tag of a DICOM error (gggg,eeee), when known.</summary>
    public string? Tag { get; init; }

    /// <summary>Byte offset of a DICOM error in the entry, when known.</summary>
    public long? Offset { get; init; }
}
