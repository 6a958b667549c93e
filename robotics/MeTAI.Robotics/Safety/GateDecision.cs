namespace MeTAI.Robotics.Safety;

/// <summary>What the <see cref="ServoCommandGate"/> did with a request.</summary>
public enum GateDecision
{
    /// <summary>The goals went to the servos.</summary>
    Motion,

    /// <summary>Motion refused; the hold position went to the servos instead.</summary>
    Hold,

    /// <summary>Nothing written: torque is off in this state.</summary>
    TorqueOff,
}
