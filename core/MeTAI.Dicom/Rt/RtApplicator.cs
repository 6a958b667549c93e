namespace MeTAI.Dicom.Rt;

/// <summary>An applicator on a beam (an item of Applicator Sequence, 300A,0107): electron cones, stereotactic cones, …</summary>
public sealed record RtApplicator
{
    /// <summary>Applicator ID (300A,0108), or empty.</summary>
    public string Id { get; init; } = string.Empty;

    /// <summary>Applicator Type (300A,0109), e.g. ELECTRON_SQUARE, STEREOTACTIC, or empty.</summary>
    public string Type { get; init; } = string.Empty;

    /// <summary>Applicator Description (300A,010A), or empty.</summary>
    public string Description { get; init; } = string.Empty;
}
