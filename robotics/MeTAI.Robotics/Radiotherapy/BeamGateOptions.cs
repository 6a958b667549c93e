namespace MeTAI.Robotics.Radiotherapy;

/// <summary>
/// Settings of the beam gate (radiotherapy: the arm positions a beam device or couch at each planned beam pose; the
/// linac may irradiate only with the controller's permit). Validated once.
/// </summary>
public sealed class BeamGateOptions
{
    /// <summary>Tool position tolerance to the planned beam pose (m).</summary>
    public double PoseToleranceM { get; set; } = 0.001;

    /// <summary>Tool orientation tolerance to the planned beam pose (rad; default 1°).</summary>
    public double OrientationToleranceRad { get; set; } = Math.PI / 180;

    /// <summary>Measured joint speed below which the arm counts as stationary (rad/s).</summary>
    public double StationaryRadS { get; set; } = 0.1;

    /// <summary>Window over which the measured joint speed is judged (ms).</summary>
    public double SpeedWindowMs { get; set; } = 50;

    /// <summary>Patient target displacement beyond which the beam is held (mm).</summary>
    public double PatientToleranceMm { get; set; } = 3;

    /// <summary>Require a patient-motion source: without a fresh reading the beam is held.</summary>
    public bool RequirePatientMonitor { get; set; } = true;

    /// <summary>A patient-motion reading older than this holds the beam (ms).</summary>
    public double PatientStaleMs { get; set; } = 200;

    /// <summary>A linac status older than this counts as "beam may be on" (ms).</summary>
    public double LinacStaleMs { get; set; } = 300;

    /// <summary>Throws when a value is out of range.</summary>
    public void Validate()
    {
        if (!(PoseToleranceM > 0) || !(OrientationToleranceRad > 0) || !(StationaryRadS > 0) || !(SpeedWindowMs > 0)
            || !(PatientToleranceMm > 0) || !(PatientStaleMs > 0) || !(LinacStaleMs > 0))
        {
            throw new ArgumentException("BeamGateOptions: tolerances and times must be positive.");
        }
    }
}
