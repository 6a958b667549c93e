namespace MeTAI.Dicom.Deid;

/// <summary>An input file that was not de-identified and why, e.g. "truncated …" or "not a DICOM file".</summary>
public sealed record DeidentificationFailure(string Path, string Reason)
{
    /// <inheritdoc />
    public override string ToString() => $"{Path}: {Reason}";
}
