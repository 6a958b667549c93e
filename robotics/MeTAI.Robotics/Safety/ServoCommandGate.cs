namespace MeTAI.Robotics.Safety;

/// <summary>
/// The only path from the controller to the servos. At the moment of writing it consults the supervisor's state and
/// the live interlock bits: goals pass only in a motion state (Homing, Following, ExecutingTrajectory) with no
/// interlock active; otherwise, while torque is on, the hold position (the measured position when the hold began)
/// is written instead, and with torque off nothing is written. Torque off goes straight to the bus.
/// Allocation-free.
/// </summary>
public sealed class ServoCommandGate
{
    private readonly SafetySupervisor _supervisor;
    private readonly IServoCommandSink _sink;
    private readonly int[] _measured;
    private readonly int[] _hold;
    private bool _holding;
    private bool _haveMeasured;

    /// <summary>Creates the gate for <paramref name="jointCount"/> servos.</summary>
    public ServoCommandGate(SafetySupervisor supervisor, IServoCommandSink sink, int jointCount)
    {
        ArgumentNullException.ThrowIfNull(supervisor);
        ArgumentNullException.ThrowIfNull(sink);
        ArgumentOutOfRangeException.ThrowIfLessThan(jointCount, 1);
        _supervisor = supervisor;
        _sink = sink;
        _measured = new int[jointCount];
        _hold = new int[jointCount];
    }

    /// <summary>Motion commands let through so far.</summary>
    public long MotionWrites { get; private set; }

    /// <summary>Hold commands written so far.</summary>
    public long HoldWrites { get; private set; }

    /// <summary>Requests refused (hold or torque off) so far.</summary>
    public long Refusals { get; private set; }

    /// <summary>True while the gate is holding (motion refused, torque on).</summary>
    public bool IsHolding => _holding;

    /// <summary>The hold position in counts (valid while <see cref="IsHolding"/>).</summary>
    public ReadOnlySpan<int> HoldCounts => _hold;

    /// <summary>Latest measured positions (counts); the hold position is captured from them.</summary>
    public void UpdateMeasured(ReadOnlySpan<int> measuredCounts)
    {
        measuredCounts.CopyTo(_measured);
        _haveMeasured = true;
    }

    /// <summary>
    /// Submits goals for this cycle. <paramref name="liveInterlocks"/> are the bits measured this cycle (OR-ed with
    /// the supervisor's), so a condition raised after the supervisor's update still stops motion.
    /// </summary>
    public GateDecision Submit(ReadOnlySpan<int> goalCounts, Interlocks liveInterlocks, in CommandStamp stamp)
    {
        SafetyState state = _supervisor.State;
        Interlocks active = liveInterlocks | _supervisor.ActiveInterlocks;
        if (!SafetySupervisor.IsTorqueOnState(state))
        {
            _holding = false;
            Refusals++;
            return GateDecision.TorqueOff;
        }

        if (SafetySupervisor.IsMotionState(state) && active == Interlocks.None && !_supervisor.IsLatched)
        {
            _holding = false;
            MotionWrites++;
            _sink.WriteGoals(goalCounts, motion: true, stamp);
            return GateDecision.Motion;
        }

        Hold(stamp);
        Refusals++;
        return GateDecision.Hold;
    }

    /// <summary>Writes the hold position (captured at the first hold after motion). Used in non-motion torque-on states.</summary>
    public void Hold(in CommandStamp stamp)
    {
        if (!_holding)
        {
            if (!_haveMeasured)
            {
                // No measured position yet: writing any goal could move the arm; write nothing.
                return;
            }

            _measured.CopyTo(_hold, 0);
            _holding = true;
        }

        HoldWrites++;
        _sink.WriteGoals(_hold, motion: false, stamp);
    }

    /// <summary>Sets the hold position explicitly (after power-up: the position torque was enabled at).</summary>
    public void SetHold(ReadOnlySpan<int> holdCounts)
    {
        holdCounts.CopyTo(_hold);
        _holding = true;
    }

    /// <summary>Torque off on the bus now, bypassing every queue (e-stop, fault, disable).</summary>
    public void TorqueOffNow()
    {
        _holding = false;
        _sink.TorqueOffNow();
    }
}
