using System.Globalization;
using MeTAI.Core.Geometry;
using MeTAI.Robotics.Kinematics;
using MeTAI.Robotics.Safety;

namespace MeTAI.Robotics.Control.Motion;

/// <summary>
/// Point-to-point joint motion: Homing (to the model's home) and ExecutingTrajectory (to the target of the last accepted
/// MoveJoints or MoveToPose command), each at limited speed and acceleration until the arm settles there. A move to a
/// beam pose arms that beam for the beam gate. Allocation-free per cycle; owned by the loop thread.
/// </summary>
/// <param name="model">The robot (home, limits).</param>
/// <param name="supervisor">Fires the move and its completion.</param>
/// <param name="joints">The commanded joints the move drives.</param>
/// <param name="ik">Shared with teleoperation (one loop thread).</param>
/// <param name="audit">Records a pose no IK solution reaches.</param>
internal sealed class JointMoveStepper(RobotModel model, SafetySupervisor supervisor, JointCommand joints, DlsIkSolver ik, ControlAudit audit)
{
    private readonly double[] _moveTarget = new double[model.JointCount];
    private readonly double[] _qIk = new double[model.JointCount];
    private int _armedBeam;
    private Pose _plannedPose = Pose.Identity;

    /// <summary>The beam armed by the last accepted move to a beam pose (0: none) and that pose (robot base frame).</summary>
    public (int Beam, Pose Pose) ArmedBeam => (_armedBeam, _plannedPose);

    /// <summary>The arm leaves (or may leave) the beam pose: the beam must be armed again by a move to its pose.</summary>
    public void Disarm() => _armedBeam = 0;

    /// <summary>One Homing or ExecutingTrajectory cycle; fires HomingDone or TrajectoryDone once settled at the target.</summary>
    public void Step(Interlocks live, in CommandStamp stamp, ReadOnlySpan<double> measuredRad)
    {
        ReadOnlySpan<double> target = supervisor.State == SafetyState.Homing ? model.HomeRad : _moveTarget;
        joints.MoveToward(target, clampTarget: true, live, stamp);
        if (joints.IsSettled(measuredRad))
        {
            supervisor.Fire(supervisor.State == SafetyState.Homing ? SafetyTrigger.HomingDone : SafetyTrigger.TrajectoryDone);
        }
    }

    /// <summary>MoveJoints: a joint move to <paramref name="jointRad"/> (clamped to the limits); true when accepted.</summary>
    public bool StartJointMove(IReadOnlyList<double>? jointRad)
    {
        if (jointRad is null || jointRad.Count != _moveTarget.Length)
        {
            return false;
        }

        for (int i = 0; i < _moveTarget.Length; i++)
        {
            _moveTarget[i] = jointRad[i];
        }

        if (joints.ClampJoints)
        {
            model.ClampToLimits(_moveTarget);
        }

        bool accepted = supervisor.Fire(SafetyTrigger.StartTrajectory);
        _armedBeam = accepted ? 0 : _armedBeam;
        return accepted;
    }

    /// <summary>
    /// MoveToPose: IK from the commanded joints, else from home (many iterations, once), then a joint move at limited
    /// speed; the beam is armed only when the move is accepted, and the permit still needs the measured pose at the
    /// target. True when accepted.
    /// </summary>
    public bool StartPoseMove(ControllerCommand command)
    {
        if (command.TargetPose is not Pose target || !supervisor.CanFire(SafetyTrigger.StartTrajectory))
        {
            // Fired anyway so the refusal is audited with its reason.
            return command.TargetPose is not null && supervisor.Fire(SafetyTrigger.StartTrajectory);
        }

        joints.CommandRad.CopyTo(_qIk);
        IkResult r = ik.Solve(target, _qIk, _qIk, 600);
        if (!Reached(r))
        {
            // Damped least squares is local: from the arm's present configuration it can stall short of a pose that the
            // home configuration reaches (HIL found one between two beams of a plan). Try once more from home.
            model.HomeRad.CopyTo(_qIk);
            IkResult fromHome = ik.Solve(target, _qIk, _qIk, 600);
            r = Reached(fromHome) ? fromHome : r;
        }

        if (!Reached(r))
        {
            audit.Write("moveToPoseUnreachable",
                ("beam", command.Beam.ToString(CultureInfo.InvariantCulture)),
                ("positionErrorM", r.PositionErrorM.ToString("G4", CultureInfo.InvariantCulture)),
                ("orientationErrorRad", r.OrientationErrorRad.ToString("G4", CultureInfo.InvariantCulture)));
            return false;
        }

        _qIk.CopyTo(_moveTarget, 0);
        _plannedPose = target;
        _armedBeam = command.Beam;
        if (!supervisor.Fire(SafetyTrigger.StartTrajectory))
        {
            _armedBeam = 0;
            return false;
        }

        return true;
    }

    private static bool Reached(IkResult r) => r.PositionErrorM <= 1e-4 && r.OrientationErrorRad <= 2e-3;
}
