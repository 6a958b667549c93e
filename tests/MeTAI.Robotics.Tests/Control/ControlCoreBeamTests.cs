using System.Diagnostics;
using MeTAI.Core.Geometry;
using MeTAI.Robotics.Control;
using MeTAI.Robotics.Kinematics;
using MeTAI.Robotics.Radiotherapy;
using MeTAI.Robotics.Safety;
using MeTAI.Robotics.Teleoperation;

namespace MeTAI.Robotics.Tests.Control;

/// <summary>The radiotherapy beam gate in the control core, on simulated time: permit only in Ready at the planned pose
/// of the requested beam with the patient within tolerance; no motion while the linac has not confirmed beam off.</summary>
public class ControlCoreBeamTests
{
    private sealed class Harness
    {
        public Harness(UnsafeTestOptions? unsafeOptions = null)
        {
            Robot = TestRobots.Arm6();
            int[] start = new int[Robot.JointCount];
            Robot.ToCounts(Robot.HomeRad, start);
            Servos = new FakeServos(start);
            Inputs = new ControllerInputs { BrokerConnected = true };
            Outputs = new ControllerOutputs(Robot.JointCount);
            Core = new ControlCore(Robot, Options, new TeleopOptions(), Inputs, Outputs, Servos.Feedback, Servos, Servos,
                null, null, null, new BeamGateOptions(), unsafeOptions);
            Master = new Pose(Vec3.Zero, Robot.ForwardKinematics(Robot.HomeRad).Orientation);
        }

        public ControllerOptions Options { get; } = new();

        public RobotModel Robot { get; }

        public FakeServos Servos { get; }

        public ControllerInputs Inputs { get; }

        public ControllerOutputs Outputs { get; }

        public ControlCore Core { get; }

        public Pose Master { get; }

        public long Cycle { get; private set; }

        public long Start { get; } = Stopwatch.GetTimestamp();

        public bool LinacOn { get; set; }

        public int LinacBeam { get; set; }

        public long LinacAck { get; set; }

        public bool AutoAck { get; set; } = true;

        public Vec3 PatientMm { get; set; }

        public BeamPermit Permit { get; private set; }

        public void Step()
        {
            long now = Start + (long)(Cycle * Options.PeriodS * Stopwatch.Frequency);
            Inputs.Heartbeat(now);
            Inputs.EStopDevice(false, Cycle + 1, now);
            Inputs.PublishMaster(new MasterSample(Master, false, true, Cycle + 1, now), now);
            Inputs.SetLinacState(LinacOn, LinacBeam, LinacAck, now);
            Inputs.SetPatientDisplacement(PatientMm, now);
            Servos.Publish(now);
            Core.Step(now, Cycle++);
            Outputs.TryReadBeam(out BeamPermit p);
            Permit = p;
            if (AutoAck)
            {
                LinacAck = p.Sequence;
            }
        }

        public void StepUntil(Func<bool> condition, int max = 6000)
        {
            for (int i = 0; i < max && !condition(); i++)
            {
                Step();
            }

            Assert.True(condition(), $"state {Core.Supervisor.State}, interlocks {Core.LastInterlocks}, permit {Permit}");
        }

        public void Command(ControllerCommand c) => Inputs.Enqueue(c);

        public void ToReady()
        {
            Step();
            Command(new ControllerCommand { Kind = ControllerCommandKind.Enable });
            StepUntil(() => Core.Supervisor.State == SafetyState.Enabled);
            Command(new ControllerCommand { Kind = ControllerCommandKind.Home });
            StepUntil(() => Core.Supervisor.State == SafetyState.Ready);
        }

        /// <summary>A reachable beam pose: the home tool pose moved 3 cm and turned 10° about z.</summary>
        public Pose BeamPose()
        {
            Pose home = Robot.ForwardKinematics(Robot.HomeRad);
            return new Pose(home.Position + new Vec3(0.0, 0.03, -0.01), (Quat.FromAxisAngle(Vec3.UnitZ, 0.17) * home.Orientation).Normalized());
        }

        public void MoveToBeam(int beam, Pose pose)
        {
            Command(new ControllerCommand { Kind = ControllerCommandKind.MoveToPose, Beam = beam, TargetPose = pose });
            StepUntil(() => Core.Supervisor.State == SafetyState.ExecutingTrajectory, 10);
            StepUntil(() => Core.Supervisor.State == SafetyState.Ready);
            for (int i = 0; i < 100; i++)
            {
                Step();
            }
        }
    }

    [Fact]
    public void MoveToPose_AtPlannedPose_PermitsOnlyTheArmedBeam()
    {
        var h = new Harness();
        h.ToReady();
        h.LinacBeam = 2;
        h.Step();
        Assert.False(h.Permit.Permit);
        Assert.True(h.Permit.Reasons.HasFlag(BeamHoldReasons.WrongBeam));

        Pose pose = h.BeamPose();
        h.MoveToBeam(2, pose);
        Assert.True(h.Permit.Permit, h.Permit.ToString());
        Assert.Equal(2, h.Permit.Beam);
        Assert.True((h.Robot.ForwardKinematics(h.Core.MeasuredRad).Position - pose.Position).Length < 1e-3);

        h.LinacBeam = 3;
        h.Step();
        Assert.False(h.Permit.Permit);
        Assert.True(h.Permit.Reasons.HasFlag(BeamHoldReasons.WrongBeam));
    }

    [Fact]
    public void PatientMotionBeyondTolerance_WithholdsPermit_ResumesWhenBack()
    {
        var h = new Harness();
        h.ToReady();
        h.LinacBeam = 1;
        h.MoveToBeam(1, h.BeamPose());
        Assert.True(h.Permit.Permit);
        long seq = h.Permit.Sequence;
        h.PatientMm = new Vec3(0, 4, 0);
        h.Step();
        Assert.False(h.Permit.Permit);
        Assert.Equal(BeamHoldReasons.PatientMotion, h.Permit.Reasons);
        Assert.True(h.Permit.Sequence > seq);
        h.PatientMm = new Vec3(0, 1.5, 0);
        h.Step();
        Assert.True(h.Permit.Permit);
    }

    [Fact]
    public void LinacBeamOn_NoMotionUntilBeamOffIsAcknowledged()
    {
        var h = new Harness();
        h.ToReady();
        h.LinacBeam = 1;
        h.MoveToBeam(1, h.BeamPose());
        h.LinacOn = true;
        h.Step();
        Assert.True(h.Core.LastInterlocks.HasFlag(Interlocks.BeamOn));

        // A move while the beam is on is refused (Home needs no interlock active).
        h.Command(new ControllerCommand { Kind = ControllerCommandKind.Home });
        h.Step();
        Assert.Equal(SafetyState.Ready, h.Core.Supervisor.State);

        // Permit withdrawn (patient moved): the linac turns off but has not yet acknowledged the withdrawal.
        h.AutoAck = false;
        h.PatientMm = new Vec3(5, 0, 0);
        h.Step();
        Assert.False(h.Permit.Permit);
        h.LinacOn = false;
        h.Step();
        Assert.True(h.Core.LastInterlocks.HasFlag(Interlocks.BeamOn), "beam off not yet confirmed for the withdrawal");
        h.LinacAck = h.Permit.Sequence;
        h.Step();
        Assert.False(h.Core.LastInterlocks.HasFlag(Interlocks.BeamOn));
        h.Command(new ControllerCommand { Kind = ControllerCommandKind.Home });
        h.StepUntil(() => h.Core.Supervisor.State == SafetyState.Homing, 5);
    }

    [Fact]
    public void LinacStatusStale_CountsAsBeamOn()
    {
        var h = new Harness();
        h.ToReady();
        var core = h.Core;
        long now = h.Start + (long)((h.Cycle + 1000) * h.Options.PeriodS * Stopwatch.Frequency);
        h.Inputs.Heartbeat(now);
        h.Inputs.EStopDevice(false, h.Cycle + 1000, now);
        h.Servos.Publish(now);
        core.Step(now, h.Cycle + 1000);
        Assert.True(core.LastInterlocks.HasFlag(Interlocks.BeamOn));
    }

    [Fact]
    public void MoveToPose_Unreachable_RefusedAndNothingArmed()
    {
        var h = new Harness();
        h.ToReady();
        h.Command(new ControllerCommand { Kind = ControllerCommandKind.MoveToPose, Beam = 1, TargetPose = new Pose(new Vec3(2, 2, 2), Quat.Identity) });
        h.Step();
        h.Step();
        Assert.Equal(SafetyState.Ready, h.Core.Supervisor.State);
        Assert.Equal(0, h.Core.ArmedBeam.Beam);
    }

    [Fact]
    public void MoveToPose_LocalIkStallsFromPresentJoints_SolvedFromHome()
    {
        // Found by the HIL radiotherapy scenario: after beams at gantry 270°…330° the arm sits where damped least squares
        // stalls 1.5 mm short of the next beam's pose (gantry 345°), which the home configuration reaches.
        var h = new Harness();
        h.ToReady();
        double[] stalled = [-0.3588, 0.6730, 0.3810, -2.4629, -0.8417, 0.6691];
        var target = new Pose(new Vec3(0.2, -0.015529142706151244, 0.0779555495773441),
            new Quat(0.560985526796931, -0.4304593345768794, 0.4304593345768794, 0.5609855267969309));
        var solver = new DlsIkSolver(h.Robot);
        IkResult local = solver.Solve(target, stalled, new double[h.Robot.JointCount], 600);
        Assert.True(local.PositionErrorM > 1e-4, "precondition: IK from the stalled joints must fall short");

        h.Command(new ControllerCommand { Kind = ControllerCommandKind.MoveJoints, JointRad = stalled });
        h.StepUntil(() => h.Core.Supervisor.State == SafetyState.ExecutingTrajectory, 10);
        h.StepUntil(() => h.Core.Supervisor.State == SafetyState.Ready);
        h.MoveToBeam(4, target);
        Assert.Equal(4, h.Core.ArmedBeam.Beam);
        Assert.True((h.Robot.ForwardKinematics(h.Core.MeasuredRad).Position - target.Position).Length < 1e-3);
    }

    [Fact]
    public void UnsafeIgnorePatientMotion_PermitsDespiteDisplacement()
    {
        var h = new Harness(new UnsafeTestOptions { IgnoredBeamHoldReasons = BeamHoldReasons.PatientMotion });
        Assert.True(h.Core.HasUnsafeTestOptions);
        h.ToReady();
        h.LinacBeam = 1;
        h.MoveToBeam(1, h.BeamPose());
        h.PatientMm = new Vec3(0, 9, 0);
        h.Step();
        Assert.True(h.Permit.Permit);
    }

    [Fact]
    public void UnsafeDisabledInterlock_IsNeverRaised()
    {
        var h = new Harness(new UnsafeTestOptions { DisabledInterlocks = Interlocks.HapticHeartbeat | Interlocks.BeamOn });
        h.ToReady();
        long now = h.Start + (long)((h.Cycle + 500) * h.Options.PeriodS * Stopwatch.Frequency);
        h.Servos.Publish(now);
        h.Core.Step(now, h.Cycle + 500);
        Assert.False(h.Core.LastInterlocks.HasFlag(Interlocks.HapticHeartbeat));
    }
}
