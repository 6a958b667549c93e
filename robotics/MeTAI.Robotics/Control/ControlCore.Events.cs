using System.Diagnostics;
using System.Globalization;
using MeTAI.Core.Geometry;
using MeTAI.Robotics.Radiotherapy;
using MeTAI.Robotics.Safety;

namespace MeTAI.Robotics.Control;

/// <summary>Commands, transition side effects, the beam permit and the audit records of <see cref="ControlCore"/>.</summary>
public sealed partial class ControlCore
{
    private void DrainCommands()
    {
        for (int k = 0; k < _options.CommandsPerCycle && _inputs.TryDequeue(out ControllerCommand? command); k++)
        {
            Apply(command!);
        }
    }

    private void Apply(ControllerCommand command)
    {
        bool accepted;
        switch (command.Kind)
        {
            case ControllerCommandKind.Reset:
                accepted = _supervisor.RequestReset(command.Acknowledge);
                break;
            case ControllerCommandKind.MoveJoints:
                accepted = _moves.StartJointMove(command.JointRad);
                break;
            case ControllerCommandKind.MoveToPose:
                accepted = _moves.StartPoseMove(command);
                break;
            default:
                accepted = _supervisor.Fire(TriggerOf(command.Kind));
                if (accepted && command.Kind is ControllerCommandKind.Home or ControllerCommandKind.StartTeleop)
                {
                    // The arm leaves the beam pose: the beam must be armed again by a move to its pose.
                    _moves.Disarm();
                }

                break;
        }

        _audit.Write("command",
            ("command", command.Kind.ToString()),
            ("operator", command.Operator),
            ("acknowledge", command.Acknowledge ? "true" : "false"),
            ("accepted", accepted ? "true" : "false"),
            ("state", _supervisor.State.ToString()));
    }

    // Beam permit for this cycle (loop thread). Every change is audited with its reasons; so is every beam on/off edge the
    // linac reports.
    private void StepBeam(Interlocks live)
    {
        PatientMotionReading patient = _inputs.Patient;
        (int armedBeam, Pose plannedPose) = _moves.ArmedBeam;
        BeamHoldReasons reasons = _beamGate!.Evaluate(_supervisor.State, live & ~Interlocks.BeamOn, _qMeas, _now, _linac, patient, armedBeam, plannedPose);
        reasons &= ~_ignoredBeamReasons;
        bool permit = reasons == BeamHoldReasons.None;
        if (permit != _permit)
        {
            _permit = permit;
            _permitSeq++;
            if (!permit)
            {
                _withdrawnSeq = _permitSeq;
            }

            _audit.Write("beamPermit",
                ("permit", permit ? "true" : "false"),
                ("beam", armedBeam.ToString(CultureInfo.InvariantCulture)),
                ("seq", _permitSeq.ToString(CultureInfo.InvariantCulture)),
                ("reasons", reasons.ToString()),
                ("positionErrorMm", (_beamGate.PositionErrorM * 1e3).ToString("F3", CultureInfo.InvariantCulture)),
                ("cycleTicks", _now.ToString(CultureInfo.InvariantCulture)));
        }

        if (_linac.On != _linacOnSeen && _linac.ReceivedTicks != 0)
        {
            _linacOnSeen = _linac.On;
            _audit.Write("linacBeam",
                ("on", _linac.On ? "true" : "false"),
                ("beam", _linac.Beam.ToString(CultureInfo.InvariantCulture)),
                ("receivedTicks", _linac.ReceivedTicks.ToString(CultureInfo.InvariantCulture)));
        }

        _outputs.PublishBeam(new BeamPermit(permit, armedBeam, _permitSeq, reasons, _cycle));
    }

    private static SafetyTrigger TriggerOf(ControllerCommandKind kind) => kind switch
    {
        ControllerCommandKind.Enable => SafetyTrigger.Enable,
        ControllerCommandKind.Disable => SafetyTrigger.Disable,
        ControllerCommandKind.Home => SafetyTrigger.Home,
        ControllerCommandKind.StartTeleop => SafetyTrigger.StartTeleop,
        ControllerCommandKind.StopTeleop => SafetyTrigger.StopTeleop,
        ControllerCommandKind.StopTrajectory => SafetyTrigger.StopTrajectory,
        ControllerCommandKind.Pause => SafetyTrigger.Pause,
        ControllerCommandKind.Resume => SafetyTrigger.Resume,
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, null),
    };

    private void OnTransition(SafetyState from, SafetyState to, SafetyTrigger trigger, Interlocks active)
    {
        // Leaving motion in an orderly way (done, stop, clutch, pause) holds the last commanded goal: no step back to the
        // lagging measured position. An interlock hold keeps the gate's default: the measured position, to stop at once.
        if (SafetySupervisor.IsMotionState(from) && !SafetySupervisor.IsMotionState(to) && SafetySupervisor.IsTorqueOnState(to)
            && trigger != SafetyTrigger.InterlockHold && _goals.HasCurrent)
        {
            _gate.SetHold(_goals.Current);
        }

        switch (to)
        {
            case SafetyState.EStop:
            case SafetyState.Fault:
            case SafetyState.Disabled:
                // Torque off, asked for from this (the loop's) thread: the bus owner preempts its transaction and writes it next.
                _gate.TorqueOffNow();
                _torqueOffTicks = _now;
                _teleop.Disengage();
                _joints.Stop();
                _goals.ClearCurrent();
                _moves.Disarm();
                break;
            case SafetyState.Powering:
                _powerUp.Request();
                break;
            case SafetyState.Following:
                _teleop.Engage(_haveMaster, _master);
                break;
            case SafetyState.Homing:
            case SafetyState.ExecutingTrajectory:
                _joints.StartFromHold();
                break;
            case SafetyState.Aligning:
                _teleop.BeginAlignment(trigger);
                break;
            default:
                _teleop.Disengage();
                _joints.Stop();
                break;
        }

        if (to is SafetyState.Paused or SafetyState.Fault or SafetyState.EStop)
        {
            LastStopTransition = (_cycle, Stopwatch.GetTimestamp(), to, active);
        }

        _audit.Write("transition",
            ("from", from.ToString()),
            ("to", to.ToString()),
            ("trigger", trigger.ToString()),
            ("interlocks", active.ToString()),
            ("cycleTicks", _now.ToString(CultureInfo.InvariantCulture)));
    }

    private sealed class Observer(ControlCore core) : ISupervisorObserver
    {
        public void OnTransition(SafetyState from, SafetyState to, SafetyTrigger trigger, Interlocks active) =>
            core.OnTransition(from, to, trigger, active);

        public void OnRefused(SafetyState state, SafetyTrigger trigger, string reason) =>
            core._audit.Write("refused", ("state", state.ToString()), ("trigger", trigger.ToString()), ("reason", reason));

        // Besides the readable detail, each record carries the loop's deadline for this cycle and the controller's own
        // timestamp of the input behind the interlock, so a HIL harness can measure reaction times on the controller's clock.
        public void OnInterlockRaised(Interlocks interlock, InterlockReaction reaction, SafetyState state) =>
            core._audit.Write("interlockRaised", ("interlock", interlock.ToString()), ("reaction", reaction.ToString()), ("state", state.ToString()),
                ("cycleTicks", core._now.ToString(CultureInfo.InvariantCulture)),
                ("inputTicks", (MqttEStop(interlock) ? core._inputs.EStopPressedTicks : core._interlocks.InputTicks(interlock))
                    .ToString(CultureInfo.InvariantCulture)),
                ("inputCycle", (MqttEStop(interlock) ? core._inputs.EStopPressedCycle : -1L).ToString(CultureInfo.InvariantCulture)),
                ("detail", core._interlocks.Detail(interlock, core._now, core._cycle)));

        // An EStop from a message carries the message's arrival; one from the wired loop has no input time of its own (0).
        private bool MqttEStop(Interlocks interlock) => interlock == Interlocks.EStop && !(core._interlocks.WiredEStopOpen && !core._inputs.EStopPressed);

        public void OnInterlockCleared(Interlocks interlock, SafetyState state) =>
            core._audit.Write("interlockCleared", ("interlock", interlock.ToString()), ("state", state.ToString()));
    }
}
