using MeTAI.Core;
using MeTAI.Core.Geometry;

namespace MeTAI.Robotics.Teleoperation;

/// <summary>Teleoperation settings (dVRK defaults where they exist); validated once by <see cref="Validate"/>.</summary>
public sealed class TeleopOptions
{
    /// <summary>Master translation → slave translation scale (dVRK default 0.2).</summary>
    public double TranslationScale { get; set; } = 0.2;

    /// <summary>Rotation from the master device's base frame to the robot base frame.</summary>
    public Quat MasterToRobot { get; set; } = Quat.Identity;

    /// <summary>Orientation agreement needed before following starts (dVRK 5°).</summary>
    public double AlignmentToleranceRad { get; set; } = Units.DegToRad(5);

    /// <summary>Orientation agreement needed after a clutch (dVRK 2°).</summary>
    public double AlignmentAfterClutchRad { get; set; } = Units.DegToRad(2);

    /// <summary>One-Euro minimum cut-off (Hz) on the master position.</summary>
    public double FilterMinCutoffHz { get; set; } = 1.0;

    /// <summary>One-Euro speed coefficient.</summary>
    public double FilterBeta { get; set; } = 10.0;

    /// <summary>Largest tool speed the mapping commands (m/s); faster master motion is followed with lag.</summary>
    public double MaxToolSpeedMps { get; set; } = 0.10;

    /// <summary>Largest tool angular speed (rad/s).</summary>
    public double MaxToolAngularSpeedRadS { get; set; } = 2.0;

    /// <summary>Virtual-fixture stiffness felt at the master (N per metre of master penetration).</summary>
    public double FixtureStiffnessNPerM { get; set; } = 400;

    /// <summary>Largest restoring force sent to the master (N).</summary>
    public double MaxForceN { get; set; } = 5;

    /// <summary>Commanded penetration beyond the corridor wall (slave metres) at which the arm holds.</summary>
    public double HoldPenetrationM { get; set; } = 0.003;

    /// <summary>Measured tool penetration beyond the wall (metres) at which the arm holds.</summary>
    public double MeasuredHoldPenetrationM { get; set; } = 0.002;

    /// <summary>Throws when a value is out of range.</summary>
    public void Validate()
    {
        if (!(TranslationScale > 0 && TranslationScale <= 10) || !(AlignmentToleranceRad > 0) || !(AlignmentAfterClutchRad > 0)
            || !(FilterMinCutoffHz > 0) || !(FilterBeta >= 0) || !(MaxToolSpeedMps > 0) || !(MaxToolAngularSpeedRadS > 0)
            || !(FixtureStiffnessNPerM >= 0) || !(MaxForceN >= 0) || !(HoldPenetrationM > 0) || !(MeasuredHoldPenetrationM > 0))
        {
            throw new ArgumentException("TeleopOptions: a value is out of range (scale in (0, 10], tolerances, speeds and depths positive).");
        }

        if (Math.Abs(MasterToRobot.Norm - 1) > 1e-6)
        {
            throw new ArgumentException("TeleopOptions.MasterToRobot must be a unit quaternion.");
        }
    }
}
