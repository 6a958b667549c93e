namespace MeTAI.Dicom.Rt;

/// <summary>
/// A wedge in a beam (an item of Wedge Sequence, 300A,00D1): a physical wedge (STANDARD), a wedge made by a moving
/// jaw (DYNAMIC: Varian's enhanced dynamic wedge, Siemens' virtual wedge), or a wedge moved in and out by the machine
/// (MOTORIZED: Elekta's). Whether it is in the beam at a control point is <see cref="RtControlPoint.WedgePositions"/>.
/// </summary>
public sealed record RtWedge
{
    /// <summary>Wedge Number (300A,00D2), as Wedge Position Sequence items refer to it.</summary>
    public int Number { get; init; }

    /// <summary>Wedge Type (300A,00D3): STANDARD, DYNAMIC or MOTORIZED.</summary>
    public string Type { get; init; } = string.Empty;

    /// <summary>Wedge ID (300A,00D4), e.g. EDW60OUT, or empty.</summary>
    public string Id { get; init; } = string.Empty;

    /// <summary>Wedge Angle (300A,00D5) in degrees, or null.</summary>
    public double? AngleDeg { get; init; }

    /// <summary>Wedge Factor (300A,00D6), or null.</summary>
    public double? Factor { get; init; }

    /// <summary>Wedge Orientation (300A,00D8) in degrees in the beam limiting device frame, or null.</summary>
    public double? OrientationDeg { get; init; }
}
