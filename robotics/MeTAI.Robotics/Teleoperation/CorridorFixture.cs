using MeTAI.Core.Geometry;
using MeTAI.Core.Trajectories;

namespace MeTAI.Robotics.Teleoperation;

/// <summary>
/// Forbidden-region virtual fixture on the rehearsal <see cref="Corridor"/> (already transformed into the robot base
/// frame, metres): a target outside the tube is projected back onto its wall and a restoring force, proportional to the
/// penetration as felt at the master (penetration / scale), pushes the master back towards the centreline. Deeper than
/// the hold depth is a violation (the supervisor holds). Allocation-free.
/// </summary>
public sealed class CorridorFixture
{
    private readonly Corridor _corridorRobotM;
    private readonly TeleopOptions _options;

    /// <summary>Creates the fixture for a corridor in the robot base frame (metres).</summary>
    public CorridorFixture(Corridor corridorRobotM, TeleopOptions options)
    {
        ArgumentNullException.ThrowIfNull(corridorRobotM);
        ArgumentNullException.ThrowIfNull(options);
        _corridorRobotM = corridorRobotM;
        _options = options;
    }

    /// <summary>The corridor (robot base frame, metres).</summary>
    public Corridor Corridor => _corridorRobotM;

    /// <summary>
    /// Constrains <paramref name="targetM"/> to the tube. Returns the constrained target; <paramref name="forceRobotN"/>
    /// is the restoring force (robot frame), <paramref name="penetrationM"/> the depth beyond the wall (≤ 0 inside).
    /// </summary>
    public Vec3 Constrain(Vec3 targetM, out Vec3 forceRobotN, out double penetrationM)
    {
        CorridorQuery q = _corridorRobotM.Query(targetM);
        penetrationM = q.Penetration;
        if (q.Penetration <= 0 || q.Distance <= 0)
        {
            forceRobotN = Vec3.Zero;
            return targetM;
        }

        Vec3 radial = (targetM - q.ClosestPoint) / q.Distance;
        double masterPenetrationM = q.Penetration / _options.TranslationScale;
        double magnitude = Math.Min(_options.MaxForceN, _options.FixtureStiffnessNPerM * masterPenetrationM);
        forceRobotN = radial * -magnitude;
        return q.ClosestPoint + radial * _corridorRobotM.RadiusMm;
    }

    /// <summary>Penetration of a point beyond the wall (metres; ≤ 0 inside).</summary>
    public double Penetration(Vec3 pointM) => _corridorRobotM.Query(pointM).Penetration;
}
