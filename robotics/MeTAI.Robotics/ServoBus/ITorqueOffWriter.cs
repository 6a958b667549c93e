namespace MeTAI.Robotics.ServoBus;

/// <summary>Torque off to every servo with priority over all other bus traffic (the bus owner writes it next).</summary>
public interface ITorqueOffWriter
{
    /// <summary>Asks for broadcast Torque Enable = 0 now (no allocation, any thread); the bus owner preempts its transaction at the wire's first quiet moment, writes it, and repeats it while torque is off.</summary>
    void TorqueOffNow();
}
