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
    /// Constrains <paramref name="targetM"/> to the tube (projected onto the wall when outside). The restoring force
    /// <paramref name="forceRobotN"/> (robot frame) follows where the master asks the tool to be,
    /// <paramref name="requestedM"/>: stiffness × its depth beyond the wall as felt at the master (depth / scale),
    /// towards the centreline, capped at the maximum force. <paramref name="penetrationM"/> is that requested depth.
    /// </summary>
    public Vec3 Constrain(Vec3 targetM, Vec3 requestedM, out Vec3 forceRobotN, out double penetrationM)
    {
        CorridorQuery request = _corridorRobotM.Query(requestedM);
        penetrationM = request.Penetration;
        forceRobotN = Vec3.Zero;
        if (request.Penetration > 0 && request.Distance > 0)
        {
            Vec3 outward = (requestedM - request.ClosestPoint) / request.Distance;
            double masterPenetrationM = request.Penetration / _options.TranslationScale;
            forceRobotN = outward * -Math.Min(_options.MaxForceN, _options.FixtureStiffnessNPerM * masterPenetrationM);
        }

        CorridorQuery q = _corridorRobotM.Query(targetM);
        if (q.Penetration <= 0 || q.Distance <= 0)
        {
            return targetM;
        }

        Vec3 radial = (targetM - q.ClosestPoint) / q.Distance;
        return q.ClosestPoint + radial * _corridorRobotM.RadiusMm;
    }

    /// <summary>Penetration of a point beyond the wall (metres; ≤ 0 inside).</summary>
    public double Penetration(Vec3 pointM) => _corridorRobotM.Query(pointM).Penetration;
}
