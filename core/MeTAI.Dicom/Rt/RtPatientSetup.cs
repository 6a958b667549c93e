namespace MeTAI.Dicom.Rt;

/// <summary>A patient setup (an item of Patient Setup Sequence, 300A,0180).</summary>
public sealed record RtPatientSetup
{
    /// <summary>Patient Setup Number (300A,0182).</summary>
    public int Number { get; init; } = 1;

    /// <summary>Patient Position (0018,5100), e.g. HFS.</summary>
    public string PatientPosition { get; init; } = "HFS";

    /// <summary>Setup Technique Description (300A,01B2), or empty.</summary>
    public string SetupTechniqueDescription { get; init; } = string.Empty;
}
