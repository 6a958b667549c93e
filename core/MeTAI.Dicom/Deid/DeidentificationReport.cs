namespace MeTAI.Dicom.Deid;

/// <summary>
/// What <see cref="Deidentifier.DeidentifyFolder"/> did: the files it wrote, the DICOM files it could not handle (each
/// with the reason; nothing was written for them) and the files it left out because they are not DICOM.
/// </summary>
public sealed record DeidentificationReport(
    IReadOnlyList<string> Written,
    IReadOnlyList<DeidentificationFailure> Failed,
    IReadOnlyList<DeidentificationFailure> Skipped)
{
    /// <summary>True when every DICOM file was de-identified.</summary>
    public bool Succeeded => Failed.Count == 0;
}
