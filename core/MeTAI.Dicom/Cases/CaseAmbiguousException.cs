namespace MeTAI.Dicom.Cases;

/// <summary>
/// An export holds more than one CT series or structure set that could be meant, and nothing says which: the message
/// lists the candidates and the option that picks one.
/// </summary>
public sealed class CaseAmbiguousException : InvalidOperationException
{
    /// <summary>Creates the exception.</summary>
    public CaseAmbiguousException()
        : this("The export holds more than one candidate.")
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    public CaseAmbiguousException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and cause.</summary>
    public CaseAmbiguousException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Creates the exception with the candidates.</summary>
    public CaseAmbiguousException(string message, IReadOnlyList<string> ctSeriesUids, IReadOnlyList<string> structureSetUids)
        : base(message)
    {
        CtSeriesUids = ctSeriesUids;
        StructureSetUids = structureSetUids;
    }

    /// <summary>The CT series that could be meant.</summary>
    public IReadOnlyList<string> CtSeriesUids { get; } = [];

    /// <summary>The structure sets (SOP Instance UIDs) that could be meant.</summary>
    public IReadOnlyList<string> StructureSetUids { get; } = [];
}
