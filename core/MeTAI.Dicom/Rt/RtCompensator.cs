namespace MeTAI.Dicom.Rt;

/// <summary>A compensator in a beam (an item of Compensator Sequence, 300A,00E3).</summary>
public sealed record RtCompensator
{
    /// <summary>Compensator Number (300A,00E4).</summary>
    public int Number { get; init; }

    /// <summary>Compensator Type (300A,00EE): STANDARD or DYNAMIC, or empty.</summary>
    public string Type { get; init; } = string.Empty;

    /// <summary>Compensator ID (300A,00E5), or empty.</summary>
    public string Id { get; init; } = string.Empty;
}
