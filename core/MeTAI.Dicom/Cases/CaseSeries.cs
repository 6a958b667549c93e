namespace MeTAI.Dicom.Cases;

/// <summary>
/// The instances of one series as <see cref="CaseInventory"/> groups them (patient → study → series), with what a
/// listing shows: modality, SOP class(es), number of instances, frame(s) of reference and description.
/// </summary>
/// <param name="Instances">The instances, in file-name order.</param>
public sealed record CaseSeries(IReadOnlyList<CaseInstance> Instances)
{
    /// <summary>The first instance, whose patient, study and series attributes the series shows.</summary>
    public CaseInstance First => Instances[0];

    /// <summary>Patient ID (0010,0020).</summary>
    public string PatientId => First.PatientId;

    /// <summary>Patient's Name (0010,0010).</summary>
    public string PatientName => First.PatientName;

    /// <summary>Study Instance UID (0020,000D).</summary>
    public string StudyInstanceUid => First.StudyInstanceUid;

    /// <summary>Series Instance UID (0020,000E).</summary>
    public string SeriesInstanceUid => First.SeriesInstanceUid;

    /// <summary>Series Number (0020,0011), or null.</summary>
    public int? SeriesNumber => First.SeriesNumber;

    /// <summary>Modality (0008,0060).</summary>
    public string Modality => First.Modality;

    /// <summary>Series Description (0008,103E).</summary>
    public string Description => First.SeriesDescription;

    /// <summary>The SOP classes of the instances (usually one).</summary>
    public IReadOnlyList<string> SopClassUids => [.. Instances.Select(i => i.SopClassUid).Distinct(StringComparer.Ordinal)];

    /// <summary>The frames of reference of the instances (usually one; none for objects without one).</summary>
    public IReadOnlyList<string> FramesOfReference => [.. Instances.Select(i => i.FrameOfReferenceUid).Where(f => f.Length > 0).Distinct(StringComparer.Ordinal)];

    /// <summary>True when every instance is a CT Image Storage slice.</summary>
    public bool IsCt => Instances.All(i => i.IsCtImage);

    /// <summary>
    /// One line: <c>series UID #N MODALITY, SOP class, K instances, frame of reference F, "description"</c>.
    /// </summary>
    public override string ToString()
    {
        string classes = string.Join(" + ", SopClassUids.Select(u => DicomUidRegistry.NameOf(u) ?? u));
        string frames = FramesOfReference.Count switch
        {
            0 => "no frame of reference",
            1 => "frame of reference " + FramesOfReference[0],
            _ => "frames of reference " + string.Join(", ", FramesOfReference),
        };
        return $"series {SeriesInstanceUid}{(SeriesNumber is { } n ? $" #{n}" : string.Empty)} {(Modality.Length > 0 ? Modality : "?")}, {classes}, "
            + $"{Instances.Count} instance{(Instances.Count == 1 ? string.Empty : "s")}, {frames}{(Description.Length > 0 ? $", \"{Description}\"" : string.Empty)}";
    }
}
