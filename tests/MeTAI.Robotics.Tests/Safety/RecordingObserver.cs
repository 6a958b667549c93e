using MeTAI.Robotics.Safety;

namespace MeTAI.Robotics.Tests.Safety;

internal sealed class RecordingObserver : ISupervisorObserver
{
    public List<(SafetyState From, SafetyState To, SafetyTrigger Trigger)> Transitions { get; } = [];

    public List<(SafetyState State, SafetyTrigger Trigger, string Reason)> Refusals { get; } = [];

    public List<Interlocks> Raised { get; } = [];

    public void OnTransition(SafetyState from, SafetyState to, SafetyTrigger trigger, Interlocks active) => Transitions.Add((from, to, trigger));

    public void OnRefused(SafetyState state, SafetyTrigger trigger, string reason) => Refusals.Add((state, trigger, reason));

    public void OnInterlockRaised(Interlocks interlock, InterlockReaction reaction, SafetyState state) => Raised.Add(interlock);

    public void OnInterlockCleared(Interlocks interlock, SafetyState state)
    {
    }
}
