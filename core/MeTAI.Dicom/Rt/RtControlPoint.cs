using MeTAI.Core.Geometry;

namespace MeTAI.Dicom.Rt;

/// <summary>
/// One control point of a beam (an item of Control Point Sequence, 300A,0111). As in DICOM, values that do not
/// change from the previous control point may be absent (null); the first control point carries them all. Angles are
/// IEC 61217 degrees; rotation directions are NONE, CW or CC.
/// </summary>
public sealed record RtControlPoint
{
    /// <summary>Control Point Index (300A,0112), from 0.</summary>
    public int Index { get; init; }

    /// <summary>Cumulative Meterset Weight (300A,0134): 0 at the first point, the beam's final weight at the last.</summary>
    public double? CumulativeMetersetWeight { get; init; }

    /// <summary>Nominal Beam Energy (300A,0114) in MV for photons (MeV for particles), or null.</summary>
    public double? NominalBeamEnergyMV { get; init; }

    /// <summary>Dose Rate Set (300A,0115) in MU/min, or null.</summary>
    public double? DoseRateMuPerMin { get; init; }

    /// <summary>Gantry Angle (300A,011E), IEC 61217 degrees.</summary>
    public double? GantryDeg { get; init; }

    /// <summary>Gantry Rotation Direction (300A,011F).</summary>
    public string? GantryRotationDirection { get; init; }

    /// <summary>Beam Limiting Device Angle (300A,0120) — the collimator angle, IEC 61217 degrees.</summary>
    public double? CollimatorDeg { get; init; }

    /// <summary>Beam Limiting Device Rotation Direction (300A,0121).</summary>
    public string? CollimatorRotationDirection { get; init; }

    /// <summary>Patient Support Angle (300A,0122) — the couch angle, IEC 61217 degrees.</summary>
    public double? CouchDeg { get; init; }

    /// <summary>Patient Support Rotation Direction (300A,0123).</summary>
    public string? CouchRotationDirection { get; init; }

    /// <summary>Table Top Eccentric Angle (300A,0125), degrees.</summary>
    public double? TableTopEccentricDeg { get; init; }

    /// <summary>Table Top Eccentric Rotation Direction (300A,0126).</summary>
    public string? TableTopEccentricRotationDirection { get; init; }

    /// <summary>Table Top Pitch Angle (300A,0140), degrees.</summary>
    public double? TableTopPitchDeg { get; init; }

    /// <summary>Table Top Roll Angle (300A,0144), degrees.</summary>
    public double? TableTopRollDeg { get; init; }

    /// <summary>Isocenter Position (300A,012C), LPS mm.</summary>
    public Vec3? IsocenterLps { get; init; }

    /// <summary>Source to Surface Distance (300A,0130) in mm, or null.</summary>
    public double? SourceToSurfaceDistanceMm { get; init; }

    /// <summary>Jaw and MLC positions at this control point (Beam Limiting Device Position Sequence); empty when unchanged.</summary>
    public IReadOnlyList<RtDevicePosition> DevicePositions { get; init; } = [];

    /// <summary>Wedge positions at this control point (Wedge Position Sequence, 300A,0116); empty when unchanged or no wedge.</summary>
    public IReadOnlyList<RtWedgePosition> WedgePositions { get; init; } = [];

    /// <summary>Gantry Pitch Angle (300A,014A), degrees, or null.</summary>
    public double? GantryPitchDeg { get; init; }
}
