namespace MeTAI.Dicom.Cases;

/// <summary>
/// A file <see cref="CaseInventory"/> could not use although it is (or is listed as) DICOM: unreadable, listed in a
/// DICOMDIR but missing, or not what its DICOMDIR record says. Loading a case refuses while any is left.
/// </summary>
/// <param name="Name">The file as listings name it (relative path or zip entry).</param>
/// <param name="Reason">What is wrong.</param>
/// <param name="Error">The codec's error, when the file did not parse (its tag and byte offset).</param>
public sealed record CaseFileProblem(string Name, string Reason, DicomFormatException? Error = null)
{
    /// <summary>"name: reason".</summary>
    public override string ToString() => $"{Name}: {Reason}";
}
