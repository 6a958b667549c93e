namespace MeTAI.Robotics.Safety;

/// <summary>
/// Receives the supervisor's events on the owning (control-loop) thread: transitions, refused triggers and interlock
/// edges. The controller uses them to act (torque off, request power-up, capture the hold pose) and to write the
/// audit log. Implementations must not block.
/// </summary>
public interface ISupervisorObserver
{
    /// <summary>A transition happened (also reentry).</summary>
    void OnTransition(SafetyState from, SafetyState to, SafetyTrigger trigger, Interlocks active);

    /// <summary>A trigger was refused (not permitted in <paramref name="state"/>, or its guard failed).</summary>
    void OnRefused(SafetyState state, SafetyTrigger trigger, string reason);

    /// <summary>An interlock bit became active.</summary>
    void OnInterlockRaised(Interlocks interlock, InterlockReaction reaction, SafetyState state);

    /// <summary>An interlock bit became inactive.</summary>
    void OnInterlockCleared(Interlocks interlock, SafetyState state);
}
