using MeTAI.Core.Geometry;
using MeTAI.Core.Trajectories;
using MeTAI.Robotics.Kinematics;
using MeTAI.Robotics.Safety;
using MeTAI.Robotics.Teleoperation;

namespace MeTAI.Robotics.Control.Motion;

/// <summary>
/// Teleoperation's substates: Aligning (hold until the master's orientation matches the tool's), Following (master
/// pose → scaled, filtered target → corridor fixture → IK → rate limit → gate, with the fixture's restoring force sent
/// back to the master) and Clutched (hold while the master is re-indexed). Allocation-free per cycle; owned by the
/// loop thread.
/// </summary>
/// <param name="model">The robot (tool pose of the measured joints).</param>
/// <param name="options">Loop period and IK iterations per cycle.</param>
/// <param name="supervisor">Fires Aligned, ClutchPressed and ClutchReleased.</param>
/// <param name="joints">The commanded joints the master drives.</param>
/// <param name="mapper">Master → tool target (scale, filter, clutch re-indexing).</param>
/// <param name="interlocks">Judges the corridor hold.</param>
/// <param name="fixture">Holds the tool inside the corridor (robot frame); its hold rule is <see cref="InterlockEvaluator.EvaluateCorridor"/>.</param>
/// <param name="ik">Shared with the joint moves (one loop thread).</param>
internal sealed class TeleopStepper(RobotModel model, ControllerOptions options, SafetySupervisor supervisor, JointCommand joints,
    DlsIkSolver ik, TeleopMapper mapper, CorridorFixture? fixture, InterlockEvaluator interlocks)
{
    private readonly double _dt = options.PeriodS;
    private readonly double[] _qIk = new double[model.JointCount];
    private bool _afterClutch;

    /// <summary>The fixture's corridor in the robot frame (metres), if any.</summary>
    public Corridor? CorridorRobot => fixture?.Corridor;

    /// <summary>Force for the master this cycle (N, master frame; zero unless the fixture pushes back).</summary>
    public Vec3 ForceMasterN { get; private set; }

    /// <summary>The fixture pushed back this cycle.</summary>
    public bool FixtureActive { get; private set; }

    /// <summary>Start of a cycle: no force until the fixture says otherwise.</summary>
    public void BeginCycle()
    {
        ForceMasterN = Vec3.Zero;
        FixtureActive = false;
    }

    /// <summary>Entering Aligning: a fresh start (not after a clutch) uses the wider tolerance; the mapping disengages.</summary>
    public void BeginAlignment(SafetyTrigger trigger)
    {
        if (trigger == SafetyTrigger.StartTeleop)
        {
            _afterClutch = false;
        }

        mapper.Disengage();
    }

    /// <summary>Entering Following: start from the hold, and map master motion relative to where both are now.</summary>
    public void Engage(bool haveMaster, in MasterSample master)
    {
        joints.StartFromHold();
        if (haveMaster)
        {
            mapper.Engage(master.Pose, joints.CommandPose());
        }
    }

    /// <summary>Leaving teleoperation (or any other state entered): the mapping disengages.</summary>
    public void Disengage() => mapper.Disengage();

    /// <summary>One Aligning cycle: hold; fire Aligned once the operator is present, unclutched and aligned.</summary>
    public void StepAligning(bool haveMaster, in MasterSample master, in CommandStamp stamp)
    {
        joints.Hold(stamp);
        if (!haveMaster || !master.OperatorPresent || master.Clutch)
        {
            return;
        }

        Quat slave = joints.CommandPose().Orientation;
        double tolerance = _afterClutch ? mapper.Options.AlignmentAfterClutchRad : mapper.Options.AlignmentToleranceRad;
        if (mapper.AlignmentError(master.Pose.Orientation, slave) < tolerance)
        {
            supervisor.Fire(SafetyTrigger.Aligned);
        }
    }

    /// <summary>One Clutched cycle: on release, align again (with the tighter tolerance); hold meanwhile.</summary>
    public void StepClutched(bool haveMaster, in MasterSample master, in CommandStamp stamp)
    {
        if (haveMaster && !master.Clutch)
        {
            _afterClutch = true;
            supervisor.Fire(SafetyTrigger.ClutchReleased);
        }

        joints.Hold(stamp);
    }

    /// <summary>One Following cycle (see the type's summary); <paramref name="measuredRad"/> feeds the corridor rule.</summary>
    public void StepFollowing(Interlocks live, in CommandStamp stamp, bool haveMaster, in MasterSample master, ReadOnlySpan<double> measuredRad)
    {
        if (!mapper.IsEngaged || !haveMaster)
        {
            joints.Hold(stamp);
            return;
        }

        if (master.Clutch)
        {
            supervisor.Fire(SafetyTrigger.ClutchPressed);
            joints.Hold(stamp);
            return;
        }

        Pose target = mapper.Map(master.Pose, _dt);
        interlocks.ClearCorridor();
        if (fixture is not null)
        {
            Vec3 constrained = fixture.Constrain(target.Position, mapper.RawPosition, out Vec3 forceRobot, out double penetration);
            if (penetration > 0)
            {
                FixtureActive = true;
                ForceMasterN = mapper.RobotToMaster(forceRobot);
            }

            if (constrained != target.Position)
            {
                target = new Pose(constrained, target.Orientation);
                mapper.SetLastTarget(target);
            }

            // Hold now (the gate sees the bit this cycle); the supervisor pauses on the next update.
            live |= interlocks.EvaluateCorridor(penetration, fixture, model.ForwardKinematics(measuredRad).Position);
        }

        ik.Solve(target, joints.CommandRad, _qIk, options.IkIterationsPerCycle);
        joints.MoveToward(_qIk, clampTarget: false, live, stamp);
    }
}
