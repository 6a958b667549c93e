namespace MeTAI.Robotics.ServoBus;

/// <summary>Progress of the servo power-up sequence.</summary>
public enum PowerUpStatus
{
    /// <summary>None requested or in progress.</summary>
    Idle,

    /// <summary>Requested; the IO thread is running it.</summary>
    Running,

    /// <summary>Every servo answered, torque is on at the present position.</summary>
    Ready,

    /// <summary>A servo did not answer, or reported a hardware error.</summary>
    Failed,
}
