using System.Diagnostics;
using System.Globalization;
using MeTAI.Core.Geometry;
using MeTAI.Robotics.Audit;
using MeTAI.Robotics.Kinematics;
using MeTAI.Robotics.Radiotherapy;
using MeTAI.Robotics.Safety;

namespace MeTAI.Robotics.Control;

/// <summary>Commands, transition side effects and audit records of <see cref="ControlCore"/>.</summary>
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
                if (command.JointRad is null || command.JointRad.Count != _n)
                {
                    accepted = false;
                    break;
                }

                for (int i = 0; i < _n; i++)
                {
                    _moveTarget[i] = command.JointRad[i];
                }

                if (_clampJoints)
                {
                    _model.ClampToLimits(_moveTarget);
                }

                accepted = _supervisor.Fire(SafetyTrigger.StartTrajectory);
                _armedBeam = accepted ? 0 : _armedBeam;
                break;
            case ControllerCommandKind.MoveToPose:
                accepted = StartPoseMove(command);
                break;
            default:
                accepted = _supervisor.Fire(TriggerOf(command.Kind));
                if (accepted && command.Kind is ControllerCommandKind.Home or ControllerCommandKind.StartTeleop)
                {
                    // The arm leaves the beam pose: the beam must be armed again by a move to its pose.
                    _armedBeam = 0;
                }

                break;
        }

        Audit("command",
            ("command", command.Kind.ToString()),
            ("operator", command.Operator),
            ("acknowledge", command.Acknowledge ? "true" : "false"),
            ("accepted", accepted ? "true" : "false"),
            ("state", _supervisor.State.ToString()));
    }

    // A move to a beam pose: IK from the commanded joints, else from home (many iterations, once), then a joint move at
    // limited speed; the beam is armed only when the move is accepted, and the permit still needs the measured pose at
    // the target.
    private bool StartPoseMove(ControllerCommand command)
    {
        if (command.TargetPose is not Pose target || !_supervisor.CanFire(SafetyTrigger.StartTrajectory))
        {
            // Fired anyway so the refusal is audited with its reason.
            return command.TargetPose is not null && _supervisor.Fire(SafetyTrigger.StartTrajectory);
        }

        _qCmd.CopyTo(_qIk, 0);
        IkResult r = _ik.Solve(target, _qIk, _qIk, 600);
        if (!Reached(r))
        {
            // Damped least squares is local: from the arm's present configuration it can stall short of a pose that the
            // home configuration reaches (HIL found one between two beams of a plan). Try once more from home.
            _model.HomeRad.CopyTo(_qIk);
            IkResult fromHome = _ik.Solve(target, _qIk, _qIk, 600);
            r = Reached(fromHome) ? fromHome : r;
        }

        if (!Reached(r))
        {
            Audit("moveToPoseUnreachable",
                ("beam", command.Beam.ToString(CultureInfo.InvariantCulture)),
                ("positionErrorM", r.PositionErrorM.ToString("G4", CultureInfo.InvariantCulture)),
                ("orientationErrorRad", r.OrientationErrorRad.ToString("G4", CultureInfo.InvariantCulture)));
            return false;
        }

        _qIk.CopyTo(_moveTarget, 0);
        _plannedPose = target;
        _armedBeam = command.Beam;
        if (!_supervisor.Fire(SafetyTrigger.StartTrajectory))
        {
            _armedBeam = 0;
            return false;
        }

        return true;
    }

    private static bool Reached(IkResult r) => r.PositionErrorM <= 1e-4 && r.OrientationErrorRad <= 2e-3;

    // Beam permit for this cycle (loop thread). Every change is audited with its reasons; so is every beam on/off edge the
    // linac reports.
    private void StepBeam(Interlocks live)
    {
        PatientMotionReading patient = _inputs.Patient;
        BeamHoldReasons reasons = _beamGate!.Evaluate(_supervisor.State, live & ~Interlocks.BeamOn, _qMeas, _now, _linac, patient, _armedBeam, _plannedPose);
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

            Audit("beamPermit",
                ("permit", permit ? "true" : "false"),
                ("beam", _armedBeam.ToString(CultureInfo.InvariantCulture)),
                ("seq", _permitSeq.ToString(CultureInfo.InvariantCulture)),
                ("reasons", reasons.ToString()),
                ("positionErrorMm", (_beamGate.PositionErrorM * 1e3).ToString("F3", CultureInfo.InvariantCulture)),
                ("cycleTicks", _now.ToString(CultureInfo.InvariantCulture)));
        }

        if (_linac.On != _linacOnSeen && _linac.ReceivedTicks != 0)
        {
            _linacOnSeen = _linac.On;
            Audit("linacBeam",
                ("on", _linac.On ? "true" : "false"),
                ("beam", _linac.Beam.ToString(CultureInfo.InvariantCulture)),
                ("receivedTicks", _linac.ReceivedTicks.ToString(CultureInfo.InvariantCulture)));
        }

        _outputs.PublishBeam(new BeamPermit(permit, _armedBeam, _permitSeq, reasons, _cycle));
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
            && trigger != SafetyTrigger.InterlockHold && _haveLastGoal)
        {
            _gate.SetHold(_lastGoalCounts);
        }

        switch (to)
        {
            case SafetyState.EStop:
            case SafetyState.Fault:
            case SafetyState.Disabled:
                // Torque off goes straight to the bus from this (the loop's) thread.
                _gate.TorqueOffNow();
                _torqueOffTicks = _now;
                _mapper.Disengage();
                Array.Clear(_vCmd);
                _haveLastGoal = false;
                _armedBeam = 0;
                break;
            case SafetyState.Powering:
                _power.RequestPowerUp();
                break;
            case SafetyState.Following:
                StartFromHold();
                if (_haveMaster)
                {
                    _mapper.Engage(_master.Pose, _model.ForwardKinematics(_qCmd));
                }

                break;
            case SafetyState.Homing:
            case SafetyState.ExecutingTrajectory:
                StartFromHold();
                break;
            case SafetyState.Aligning:
                if (trigger == SafetyTrigger.StartTeleop)
                {
                    _afterClutch = false;
                }

                _mapper.Disengage();
                break;
            default:
                _mapper.Disengage();
                Array.Clear(_vCmd);
                break;
        }

        if (to is SafetyState.Paused or SafetyState.Fault or SafetyState.EStop)
        {
            LastStopTransition = (_cycle, Stopwatch.GetTimestamp(), to, active);
        }

        Audit("transition",
            ("from", from.ToString()),
            ("to", to.ToString()),
            ("trigger", trigger.ToString()),
            ("interlocks", active.ToString()),
            ("cycleTicks", _now.ToString(CultureInfo.InvariantCulture)));
    }

    private void StartFromHold()
    {
        if (_gate.IsHolding)
        {
            _model.ToRad(_gate.HoldCounts, _qCmd);
        }

        Array.Clear(_vCmd);
    }

    private void Audit(string kind, params (string Name, string Value)[] fields)
    {
        if (_audit is null)
        {
            return;
        }

        var list = new List<KeyValuePair<string, string>>(fields.Length);
        foreach ((string name, string value) in fields)
        {
            list.Add(new KeyValuePair<string, string>(name, value));
        }

        _audit.Write(new AuditEvent(kind, _cycle, Stopwatch.GetTimestamp(), list));
    }

    private sealed class Observer(ControlCore core) : ISupervisorObserver
    {
        public void OnTransition(SafetyState from, SafetyState to, SafetyTrigger trigger, Interlocks active) =>
            core.OnTransition(from, to, trigger, active);

        public void OnRefused(SafetyState state, SafetyTrigger trigger, string reason) =>
            core.Audit("refused", ("state", state.ToString()), ("trigger", trigger.ToString()), ("reason", reason));

        // Besides the readable detail, each record carries the loop's deadline for this cycle and the controller's own
        // timestamp of the input behind the interlock, so a HIL harness can measure reaction times on the controller's clock.
        public void OnInterlockRaised(Interlocks interlock, InterlockReaction reaction, SafetyState state) =>
            core.Audit("interlockRaised", ("interlock", interlock.ToString()), ("reaction", reaction.ToString()), ("state", state.ToString()),
                ("cycleTicks", core._now.ToString(CultureInfo.InvariantCulture)),
                ("inputTicks", (interlock switch
                {
                    Interlocks.HapticHeartbeat => core.LastHeartbeatLoss.HeartbeatTicks,
                    Interlocks.EStop => core._inputs.EStopPressedTicks,
                    Interlocks.ServoBus => core._fbTicks,
                    _ => 0L,
                }).ToString(CultureInfo.InvariantCulture)),
                ("inputCycle", (interlock == Interlocks.EStop ? core._inputs.EStopPressedCycle : -1L).ToString(CultureInfo.InvariantCulture)),
                ("detail", interlock switch
                {
                    Interlocks.HapticHeartbeat => string.Create(CultureInfo.InvariantCulture,
                        $"last heartbeat {(core._now - core.LastHeartbeatLoss.HeartbeatTicks) * 1e3 / Stopwatch.Frequency:F3} ms before this cycle"),
                    Interlocks.ServoBus => core._watchdogTripped ? "a servo's bus watchdog tripped"
                        : core._feedbackAgeTicks == long.MaxValue ? "no servo reading yet"
                        : string.Create(CultureInfo.InvariantCulture, $"last complete servo reading {core._feedbackAgeTicks * 1e3 / Stopwatch.Frequency:F1} ms old"),
                    Interlocks.TrackingError => string.Create(CultureInfo.InvariantCulture,
                        $"joint {core._model.Joints[core._trackingJoint].Name}: {core._trackingErrorRad:F4} rad from the goals of cycles {core._trackingWindow.From}…{core._trackingWindow.To} (cycle {core._cycle})"),
                    _ => "",
                }));

        public void OnInterlockCleared(Interlocks interlock, SafetyState state) =>
            core.Audit("interlockCleared", ("interlock", interlock.ToString()), ("state", state.ToString()));
    }
}
