using System.Diagnostics;
using MeTAI.Core.Geometry;
using MeTAI.Hil.Traces;
using MeTAI.Robotics.Control;
using MeTAI.Robotics.Kinematics;
using MeTAI.Robotics.Radiotherapy;
using MeTAI.Robotics.Safety;
using MeTAI.Simulation;

namespace MeTAI.Hil.Runner;

// The treatment console of a radiotherapy run (a deliverPlan step): each beam moved to, irradiated, and confirmed off.
public static partial class ScenarioRunner
{
    // The treatment console: for each beam, wait until the controller is in Ready with the last beam confirmed off (it
    // refuses motion until the linac acknowledges the permit withdrawal), move the arm to the beam's pose (arming that
    // beam), wait until it rests there, then ask the linac for the beam's MU and wait until they are delivered (holds and
    // resumes happen meanwhile). A refused move is retried; a pose the controller cannot reach (IK) is logged and the beam
    // skipped, never irradiated — the plan-delivered assertion then names it.
    private static async Task DeliverPlanAsync(HilRig rig, TraceRecorder recorder, Prepared prepared, double poseToleranceM, CancellationToken cancellationToken)
    {
        try
        {
            foreach ((BeamPose beam, Pose pose, double mu) in prepared.Beams)
            {
                if (!await MoveToBeamAsync(rig, recorder, prepared.Robot, beam, pose, poseToleranceM, cancellationToken).ConfigureAwait(false))
                {
                    continue;
                }

                recorder.Stimulus($"linac: deliver beam {beam.Number}, {mu:F1} MU");
                rig.Linac!.Deliver(beam.Number, mu);
                await SimulatedRig.WaitUntilAsync(() => rig.Linac.DeliveredMu(beam.Number) >= mu - 1e-6, TimeSpan.FromMinutes(10), $"beam {beam.Number} delivered", cancellationToken).ConfigureAwait(false);
                recorder.Stimulus($"beam {beam.Number} delivered");

                // The controller withdraws the permit once it sees the request end, and holds motion (BeamOn) until the
                // linac acknowledges that withdrawal; a move sent in between is accepted and held in the same cycle. The
                // beam ends only under a permit, so the latest permit change being a withdrawal means this one; the
                // console moves on once the controller has the linac's acknowledgement of it (and beam off) in hand.
                string number = beam.Number.ToString(System.Globalization.CultureInfo.InvariantCulture);
                long withdrawal = 0;
                await SimulatedRig.WaitUntilAsync(() => rig.AuditTap.Latest("beamPermit") is { } p && Field(p, "beam") == number && Field(p, "permit") == "false"
                    && long.TryParse(Field(p, "seq"), System.Globalization.CultureInfo.InvariantCulture, out withdrawal),
                    TimeSpan.FromSeconds(5), $"beam {beam.Number} permit withdrawn", cancellationToken).ConfigureAwait(false);
                await SimulatedRig.WaitUntilAsync(() => rig.Controller.Inputs.Linac is { On: false } linac && linac.GateSequence >= withdrawal,
                    TimeSpan.FromSeconds(5), $"linac acknowledged the withdrawal after beam {beam.Number}", cancellationToken).ConfigureAwait(false);
            }

            recorder.Stimulus("plan delivery finished");
        }
        catch (Exception ex) when (ex is OperationCanceledException or TimeoutException)
        {
            recorder.Stimulus("plan delivery stopped: " + ex.Message);
        }
    }

    // True when the arm rests at the beam's pose in Ready with that beam armed.
    private static async Task<bool> MoveToBeamAsync(HilRig rig, TraceRecorder recorder, RobotModel robot, BeamPose beam, Pose pose, double poseToleranceM,
        CancellationToken cancellationToken)
    {
        ControlCore core = rig.Controller.Core;

        // The state is published once per cycle while the armed beam changes inside it: Ready with the new beam armed can
        // be the cycle that accepted the move. Only the measured tool at the pose says the arm has arrived.
        bool Arrived() => core.ArmedBeam.Beam == beam.Number && rig.State == SafetyState.Ready
            && (robot.ForwardKinematics(core.MeasuredRad).Position - pose.Position).Length <= poseToleranceM;
        for (int attempt = 1; attempt <= 3; attempt++)
        {
            if (rig.State == SafetyState.Paused)
            {
                // Held by an interlock (the operator resumes once it clears, as a therapist would).
                await SimulatedRig.WaitUntilAsync(() => core.LastInterlocks == Interlocks.None, TimeSpan.FromSeconds(20), "interlocks clear before resuming", cancellationToken).ConfigureAwait(false);
                recorder.Stimulus($"console: resume (held in Paused before beam {beam.Number})");
                rig.Operator.Send(new ControllerCommand { Kind = ControllerCommandKind.Resume, Operator = "hil-console" });
            }

            await SimulatedRig.WaitUntilAsync(() => rig.State == SafetyState.Ready && (core.LastInterlocks & Interlocks.BeamOn) == 0,
                TimeSpan.FromSeconds(20), "Ready with the beam confirmed off, before a beam move", cancellationToken).ConfigureAwait(false);
            long sent = Stopwatch.GetTimestamp();
            recorder.Stimulus($"move to beam {beam.Number} ({beam.Name}) pose{(attempt > 1 ? $", attempt {attempt}" : "")}");
            rig.Operator.Send(new ControllerCommand { Kind = ControllerCommandKind.MoveToPose, Beam = beam.Number, TargetPose = pose, Operator = "hil-console" });

            // The controller answers within a cycle of receiving the command: the beam armed, or a refusal in its audit log.
            bool answered = true;
            try
            {
                await SimulatedRig.WaitUntilAsync(() => core.ArmedBeam.Beam == beam.Number || Refused(rig, sent), TimeSpan.FromSeconds(5),
                    $"beam {beam.Number} move answered", cancellationToken).ConfigureAwait(false);
            }
            catch (TimeoutException)
            {
                answered = false;
            }

            if (rig.AuditTap.Latest("moveToPoseUnreachable") is { } unreachable && unreachable.MonotonicTicks >= sent
                && Field(unreachable, "beam") == beam.Number.ToString(System.Globalization.CultureInfo.InvariantCulture))
            {
                recorder.Stimulus($"beam {beam.Number} ({beam.Name}): pose unreachable for the arm (IK position error {Field(unreachable, "positionErrorM")} m, " +
                    $"orientation {Field(unreachable, "orientationErrorRad")} rad) — skipped, not irradiated");
                return false;
            }

            if (core.ArmedBeam.Beam != beam.Number)
            {
                recorder.Stimulus($"beam {beam.Number}: move {(answered ? "refused" : "not answered")} in {rig.State} (interlocks {core.LastInterlocks}), retrying");
                continue;
            }

            try
            {
                await SimulatedRig.WaitUntilAsync(() => Arrived() || rig.State is not (SafetyState.ExecutingTrajectory or SafetyState.Ready),
                    TimeSpan.FromSeconds(20), $"beam {beam.Number} pose reached", cancellationToken).ConfigureAwait(false);
                if (Arrived())
                {
                    return true;
                }

                recorder.Stimulus($"beam {beam.Number}: move stopped in {rig.State} (interlocks {core.LastInterlocks}), retrying");
                if (rig.State is not SafetyState.Paused)
                {
                    // Fault or EStop latch: nothing a console may clear on its own.
                    break;
                }
            }
            catch (TimeoutException)
            {
                recorder.Stimulus($"beam {beam.Number}: pose not reached (state {rig.State}, interlocks {core.LastInterlocks}), retrying");
            }
        }

        recorder.Stimulus($"beam {beam.Number} ({beam.Name}): pose not reached — skipped, not irradiated");
        return false;
    }

    private static bool Refused(HilRig rig, long sentTicks) =>
        rig.AuditTap.Latest("command") is { } c && c.MonotonicTicks >= sentTicks && Field(c, "command") == nameof(ControllerCommandKind.MoveToPose) && Field(c, "accepted") == "false";

    private static string? Field(Robotics.Audit.AuditEvent e, string key) => e.Fields.FirstOrDefault(f => f.Key == key).Value;
}
