namespace MeTAI.Robotics.ServoBus;

/// <summary>Writes torque off to every servo immediately from the calling thread (no queue).</summary>
public interface ITorqueOffWriter
{
    /// <summary>Writes broadcast Torque Enable = 0 now; the IO thread then repeats and verifies it.</summary>
    void TorqueOffNow();
}
