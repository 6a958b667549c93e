namespace MeTAI.Dicom.Rt;

/// <summary>
/// Any other device in or on a beam that the plan names, by the sequence it came from: general accessories (300A,0420),
/// range shifters (300A,0314), lateral spreading devices (300A,0332), range modulators (300A,0342), the enhanced beam
/// limiting devices (3008,00A1), a patient setup's shielding devices (300A,01A0) and fixation devices (300A,0190).
/// Kept so that whoever uses the plan can say what it holds.
/// </summary>
public sealed record RtBeamAccessory
{
    /// <summary>The sequence the item came from, e.g. "Range Shifter Sequence".</summary>
    public required string Sequence { get; init; }

    /// <summary>The sequence's tag.</summary>
    public required DicomTag Tag { get; init; }

    /// <summary>The item's number attribute (Range Shifter Number, …), or null.</summary>
    public int? Number { get; init; }

    /// <summary>The item's type attribute (General Accessory Type, Shielding Device Type, …), or empty.</summary>
    public string Type { get; init; } = string.Empty;

    /// <summary>The item's ID or label (Range Shifter ID, Shielding Device Label, …), or empty.</summary>
    public string Id { get; init; } = string.Empty;
}
