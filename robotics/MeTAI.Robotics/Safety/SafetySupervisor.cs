using System.Numerics;
using Stateless;
using Stateless.Graph;

namespace MeTAI.Robotics.Safety;

/// <summary>
/// The arm's safety state machine (Stateless, <see cref="FiringMode.Queued"/>), owned by one thread — the control
/// loop's. Other threads never fire triggers: they enqueue commands that the loop drains. Every cycle the loop calls
/// <see cref="Update"/> with the live interlock bits; the supervisor reacts (hold → Paused, fault → Fault,
/// e-stop → EStop) and reports edges and transitions to its <see cref="ISupervisorObserver"/>. Faults and e-stops
/// latch; only an acknowledged <see cref="SafetyTrigger.Reset"/> with the condition cleared leaves them.
/// Steady-state calls (no edge, no transition) do not allocate.
/// </summary>
public sealed class SafetySupervisor
{
    private readonly StateMachine<SafetyState, SafetyTrigger> _machine;
    private readonly ISupervisorObserver? _observer;
    private SafetyState _state;
    private Interlocks _active;
    private bool _resetAcknowledged;
    private int _ownerThreadId;

    /// <summary>Creates a supervisor in <see cref="SafetyState.Disabled"/>.</summary>
    public SafetySupervisor(ISupervisorObserver? observer = null)
        : this(SafetyState.Disabled, observer)
    {
    }

    /// <summary>Creates a supervisor resting in <paramref name="initial"/> (tests build every state this way).</summary>
    internal SafetySupervisor(SafetyState initial, ISupervisorObserver? observer)
    {
        if (initial == SafetyState.Teleoperating)
        {
            throw new ArgumentException("Teleoperating is a superstate; start in Aligning, Following or Clutched.", nameof(initial));
        }

        _state = initial;
        _observer = observer;
        _machine = new StateMachine<SafetyState, SafetyTrigger>(() => _state, s => _state = s, FiringMode.Queued);
        Configure(_machine);
        _machine.OnTransitioned(t => _observer?.OnTransition(t.Source, t.Destination, t.Trigger, _active));
        _machine.OnUnhandledTrigger((state, trigger, unmet) =>
        {
            string reason = unmet is { Count: > 0 } ? "guard: " + string.Join("; ", unmet) : "not permitted in " + state;
            RefusedCount++;
            _observer?.OnRefused(state, trigger, reason);
        });
    }

    /// <summary>The current state (a substate while teleoperating).</summary>
    public SafetyState State => _state;

    /// <summary>Interlock bits given to the last <see cref="Update"/>.</summary>
    public Interlocks ActiveInterlocks => _active;

    /// <summary>Triggers refused so far.</summary>
    public long RefusedCount { get; private set; }

    /// <summary>True in a latched state (Fault, EStop): nothing moves until an acknowledged reset.</summary>
    public bool IsLatched => _state is SafetyState.Fault or SafetyState.EStop;

    /// <summary>True in the states where the servos may be commanded to move (if no interlock is active).</summary>
    public static bool IsMotionState(SafetyState state) =>
        state is SafetyState.Homing or SafetyState.Following or SafetyState.ExecutingTrajectory;

    /// <summary>True when torque is on in <paramref name="state"/> (holding or moving).</summary>
    public static bool IsTorqueOnState(SafetyState state) =>
        state is SafetyState.Enabled or SafetyState.Homing or SafetyState.Ready or SafetyState.Aligning
            or SafetyState.Following or SafetyState.Clutched or SafetyState.ExecutingTrajectory or SafetyState.Paused;

    /// <summary>True when teleoperation (any substate) is active.</summary>
    public bool IsTeleoperating => _state is SafetyState.Aligning or SafetyState.Following or SafetyState.Clutched;

    /// <summary>Motion is allowed now: a motion state and no interlock active.</summary>
    public bool MotionAllowed => IsMotionState(_state) && _active == Interlocks.None;

    /// <summary>Fires an operator or progress trigger. Returns true when the state changed (or re-entered).</summary>
    public bool Fire(SafetyTrigger trigger)
    {
        CheckOwner();
        if (trigger == SafetyTrigger.Reset)
        {
            throw new ArgumentException("Use RequestReset(acknowledged) to reset.", nameof(trigger));
        }

        return FireCore(trigger);
    }

    /// <summary>
    /// Requests a reset of a latched Fault or EStop. Refused unless <paramref name="acknowledged"/> is true and the
    /// latched condition is clear (e-stop released; no fault-class interlock active).
    /// </summary>
    public bool RequestReset(bool acknowledged)
    {
        CheckOwner();
        _resetAcknowledged = acknowledged;
        try
        {
            return FireCore(SafetyTrigger.Reset);
        }
        finally
        {
            _resetAcknowledged = false;
        }
    }

    /// <summary>
    /// Feeds the live interlock bits of this cycle: reports edges, then reacts — e-stop first, then faults, then
    /// holds. Allocation-free unless something changes.
    /// </summary>
    public void Update(Interlocks active)
    {
        CheckOwner();
        Interlocks previous = _active;
        _active = active;
        if (active != previous && _observer is not null)
        {
            ReportEdges(previous, active);
        }

        if (active == Interlocks.None)
        {
            return;
        }

        // A silent e-stop device in Disabled only refuses power-up (torque is off; the controller starts before the device).
        if ((active & Interlocks.EStop) != 0 || ((active & Interlocks.EStopDeviceSilent) != 0 && _state != SafetyState.Disabled))
        {
            if (_state != SafetyState.EStop)
            {
                FireCore(SafetyTrigger.EStopPressed);
            }

            return;
        }

        // In Disabled only ServoPower can be raised (the power relay's welded contacts, found once the feed stopped): the
        // arm's power can no longer be cut, so it latches Fault — no reset while it stands.
        if ((active & InterlockCatalog.FaultClass) != 0 && (IsTorqueOnState(_state) || _state == SafetyState.Powering
            || (_state == SafetyState.Disabled && (active & Interlocks.ServoPower) != 0)))
        {
            FireCore(SafetyTrigger.InterlockFault);
            return;
        }

        if ((active & InterlockCatalog.HoldClass) != 0 && (IsMotionState(_state) || IsTeleoperating))
        {
            FireCore(SafetyTrigger.InterlockHold);
        }
    }

    /// <summary>The state diagram in Mermaid syntax (docs/safety.md embeds it).</summary>
    public string ToMermaid() => MermaidGraph.Format(_machine.GetInfo());

    /// <summary>Can <paramref name="trigger"/> fire now (permitted and guards pass)?</summary>
    public bool CanFire(SafetyTrigger trigger) => _machine.CanFire(trigger);

    private bool FireCore(SafetyTrigger trigger)
    {
        long refusedBefore = RefusedCount;
        _machine.Fire(trigger);
        return RefusedCount == refusedBefore;
    }

    private void ReportEdges(Interlocks previous, Interlocks active)
    {
        uint raised = (uint)(active & ~previous);
        while (raised != 0)
        {
            var bit = (Interlocks)(1u << BitOperations.TrailingZeroCount(raised));
            raised &= raised - 1;
            _observer!.OnInterlockRaised(bit, InterlockCatalog.ReactionOf(bit), _state);
        }

        uint cleared = (uint)(previous & ~active);
        while (cleared != 0)
        {
            var bit = (Interlocks)(1u << BitOperations.TrailingZeroCount(cleared));
            cleared &= cleared - 1;
            _observer!.OnInterlockCleared(bit, _state);
        }
    }

    private void CheckOwner()
    {
        int current = Environment.CurrentManagedThreadId;
        if (_ownerThreadId == 0)
        {
            _ownerThreadId = current;
        }
        else if (_ownerThreadId != current)
        {
            throw new InvalidOperationException(
                $"The safety supervisor is owned by thread {_ownerThreadId}; thread {current} must enqueue a command instead.");
        }
    }

    /// <summary>Sets the active interlock bits without reacting (tests drive guards this way).</summary>
    internal void SetInterlocksWithoutReaction(Interlocks active) => _active = active;

    /// <summary>Hands ownership to the calling thread (the control loop calls this once when it starts).</summary>
    public void TakeOwnership() => _ownerThreadId = Environment.CurrentManagedThreadId;

    private bool NoInterlocks() => _active == Interlocks.None;

    private bool FaultCleared() => _resetAcknowledged && (_active & (InterlockCatalog.FaultClass | InterlockCatalog.EStopClass)) == 0;

    private bool EStopReleased() => _resetAcknowledged && (_active & InterlockCatalog.EStopClass) == 0;

    // The state machine, state by state. Permits, then ignores, in the order the exported diagram lists them.
    private void Configure(StateMachine<SafetyState, SafetyTrigger> m)
    {
        m.Configure(SafetyState.Disabled)
            .PermitIf(SafetyTrigger.Enable, SafetyState.Powering, NoInterlocksExceptHold, "no e-stop and no fault interlock")
            .Permit(SafetyTrigger.EStopPressed, SafetyState.EStop)
            .Permit(SafetyTrigger.InterlockFault, SafetyState.Fault)
            .Ignore(SafetyTrigger.Disable)
            .Ignore(SafetyTrigger.InterlockHold);

        m.Configure(SafetyState.Powering)
            .Permit(SafetyTrigger.PowerReady, SafetyState.Enabled)
            .Permit(SafetyTrigger.PowerFailed, SafetyState.Fault)
            .StopsOnDisableFaultEStop()
            .Ignore(SafetyTrigger.InterlockHold);

        m.Configure(SafetyState.Enabled)
            .PermitIfClear(SafetyTrigger.Home, SafetyState.Homing, NoInterlocks)
            .StopsOnDisableFaultEStop()
            .Ignore(SafetyTrigger.InterlockHold);

        m.Configure(SafetyState.Homing)
            .Permit(SafetyTrigger.HomingDone, SafetyState.Ready)
            .PausesOnPauseOrHold()
            .StopsOnDisableFaultEStop();

        m.Configure(SafetyState.Ready)
            .PermitIfClear(SafetyTrigger.StartTeleop, SafetyState.Aligning, NoInterlocks)
            .PermitIfClear(SafetyTrigger.StartTrajectory, SafetyState.ExecutingTrajectory, NoInterlocks)
            .PermitIfClear(SafetyTrigger.Home, SafetyState.Homing, NoInterlocks)
            .StopsOnDisableFaultEStop()
            .Ignore(SafetyTrigger.InterlockHold);

        ConfigureTeleoperation(m);

        m.Configure(SafetyState.ExecutingTrajectory)
            .Permit(SafetyTrigger.TrajectoryDone, SafetyState.Ready)
            .Permit(SafetyTrigger.StopTrajectory, SafetyState.Ready)
            .PausesOnPauseOrHold()
            .StopsOnDisableFaultEStop();

        m.Configure(SafetyState.Paused)
            .PermitIfClear(SafetyTrigger.Resume, SafetyState.Ready, NoInterlocks)
            .StopsOnDisableFaultEStop()
            .Ignore(SafetyTrigger.InterlockHold)
            .Ignore(SafetyTrigger.Pause);

        m.Configure(SafetyState.Fault)
            .PermitIf(SafetyTrigger.Reset, SafetyState.Disabled, FaultCleared, "acknowledged and no fault or e-stop interlock active")
            .Permit(SafetyTrigger.EStopPressed, SafetyState.EStop)
            .IgnoresWhileLatched();

        m.Configure(SafetyState.EStop)
            .PermitIf(SafetyTrigger.Reset, SafetyState.Disabled, EStopReleased, "acknowledged, e-stop released and its device heartbeating")
            .Ignore(SafetyTrigger.EStopPressed)
            .IgnoresWhileLatched();
    }

    // Teleoperating is a superstate: its substates share its stops, pause and hold.
    private void ConfigureTeleoperation(StateMachine<SafetyState, SafetyTrigger> m)
    {
        m.Configure(SafetyState.Teleoperating)
            .Permit(SafetyTrigger.StopTeleop, SafetyState.Ready)
            .PausesOnPauseOrHold()
            .StopsOnDisableFaultEStop();

        m.Configure(SafetyState.Aligning)
            .SubstateOf(SafetyState.Teleoperating)
            .PermitIfClear(SafetyTrigger.Aligned, SafetyState.Following, NoInterlocks);

        m.Configure(SafetyState.Following)
            .SubstateOf(SafetyState.Teleoperating)
            .Permit(SafetyTrigger.ClutchPressed, SafetyState.Clutched);

        m.Configure(SafetyState.Clutched)
            .SubstateOf(SafetyState.Teleoperating)
            .Permit(SafetyTrigger.ClutchReleased, SafetyState.Aligning);
    }

    private bool NoInterlocksExceptHold() => (_active & ~InterlockCatalog.HoldClass) == Interlocks.None;
}

/// <summary>The transitions that several states of <see cref="SafetySupervisor"/> share, each with its reason.</summary>
file static class SafetyStateConfiguration
{
    /// <summary>An operator or progress trigger allowed only while no interlock is active.</summary>
    public static StateMachine<SafetyState, SafetyTrigger>.StateConfiguration PermitIfClear(
        this StateMachine<SafetyState, SafetyTrigger>.StateConfiguration state, SafetyTrigger trigger, SafetyState destination, Func<bool> noInterlocks) =>
        state.PermitIf(trigger, destination, noInterlocks, "no interlock active");

    /// <summary>Every powered state: Disable powers down, a fault interlock faults, the e-stop latches EStop.</summary>
    public static StateMachine<SafetyState, SafetyTrigger>.StateConfiguration StopsOnDisableFaultEStop(
        this StateMachine<SafetyState, SafetyTrigger>.StateConfiguration state) =>
        state.Permit(SafetyTrigger.Disable, SafetyState.Disabled)
            .Permit(SafetyTrigger.InterlockFault, SafetyState.Fault)
            .Permit(SafetyTrigger.EStopPressed, SafetyState.EStop);

    /// <summary>Every motion state: an operator pause or a hold interlock pauses (torque on).</summary>
    public static StateMachine<SafetyState, SafetyTrigger>.StateConfiguration PausesOnPauseOrHold(
        this StateMachine<SafetyState, SafetyTrigger>.StateConfiguration state) =>
        state.Permit(SafetyTrigger.Pause, SafetyState.Paused)
            .Permit(SafetyTrigger.InterlockHold, SafetyState.Paused);

    /// <summary>Fault and EStop: further interlocks and a late power-up failure change nothing (torque is off).</summary>
    public static StateMachine<SafetyState, SafetyTrigger>.StateConfiguration IgnoresWhileLatched(
        this StateMachine<SafetyState, SafetyTrigger>.StateConfiguration state) =>
        state.Ignore(SafetyTrigger.InterlockFault)
            .Ignore(SafetyTrigger.InterlockHold)
            .Ignore(SafetyTrigger.PowerFailed);
}
