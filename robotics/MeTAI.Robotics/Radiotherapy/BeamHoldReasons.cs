namespace MeTAI.Robotics.Radiotherapy;

/// <summary>Why the beam permit is withheld (none: permitted). Published with every beam-gate message and audited.</summary>
[Flags]
public enum BeamHoldReasons : uint
{
    /// <summary>Permitted.</summary>
    None = 0,

    /// <summary>No linac status, or it is stale.</summary>
    LinacStale = 1 << 0,

    /// <summary>The linac requests no beam.</summary>
    NoRequest = 1 << 1,

    /// <summary>The linac requests a beam other than the one whose pose the arm was moved to (or none was).</summary>
    WrongBeam = 1 << 2,

    /// <summary>The supervisor is not in Ready.</summary>
    NotReady = 1 << 3,

    /// <summary>The measured tool pose is off the planned beam pose (position or orientation tolerance).</summary>
    OffPose = 1 << 4,

    /// <summary>The measured joints are moving.</summary>
    Moving = 1 << 5,

    /// <summary>The patient's target moved beyond the tolerance.</summary>
    PatientMotion = 1 << 6,

    /// <summary>No patient-motion reading, or it is stale.</summary>
    PatientMonitorStale = 1 << 7,

    /// <summary>An interlock other than <see cref="Safety.Interlocks.BeamOn"/> is active.</summary>
    Interlock = 1 << 8,
}
