namespace MeTAI.Robotics.Control;

/// <summary>The power-up side of the servo IO, as the control loop sees it.</summary>
public interface IServoPower
{
    /// <summary>Starts the power-up sequence.</summary>
    void RequestPowerUp();

    /// <summary>Progress of the sequence.</summary>
    PowerUpStatus PowerUp { get; }

    /// <summary>Positions (counts) torque was enabled at.</summary>
    ReadOnlySpan<int> PowerUpPositions { get; }

    /// <summary>Consumes a Ready result.</summary>
    void AcknowledgePowerUp();
}
