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

    /// <summary>Setup Technique (300A,01B0): ISOCENTRIC, FIXED_SSD, TBI, BREAST_BRIDGE, SKIN_APPOSITION, or empty.</summary>
    public string SetupTechnique { get; init; } = string.Empty;

    /// <summary>Shielding devices of the setup (Shielding Device Sequence, 300A,01A0): eye, gonad or other shields in the beams.</summary>
    public IReadOnlyList<RtBeamAccessory> ShieldingDevices { get; init; } = [];

    /// <summary>Fixation devices of the setup (Fixation Device Sequence, 300A,0190): masks, boards, vacuum bags (on the CT when they were scanned with the patient).</summary>
    public IReadOnlyList<RtBeamAccessory> FixationDevices { get; init; } = [];
}
