namespace MeTAI.Robotics.ServoBus;

/// <summary>The power-up side of the servo IO, as the control loop sees it.</summary>
public interface IServoPower
{
    /// <summary>Starts the power-up sequence.</summary>
    void RequestPowerUp();

    /// <summary>Progress of the sequence.</summary>
    PowerUpStatus PowerUp { get; }

    /// <summary>Positions (counts) torque was enabled at.</summary>
    ReadOnlySpan<int> PowerUpPositions { get; }

    /// <summary>Why the last power-up failed (empty when it did not).</summary>
    string PowerUpFailure { get; }

    /// <summary>Consumes a Ready result.</summary>
    void AcknowledgePowerUp();

    /// <summary>The latest read-back of the watchdog power relay (default: none configured).</summary>
    PowerReadback Relay => default;
}
