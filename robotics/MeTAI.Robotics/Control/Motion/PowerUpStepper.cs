using MeTAI.Robotics.Safety;
using MeTAI.Robotics.ServoBus;

namespace MeTAI.Robotics.Control.Motion;

/// <summary>
/// The Powering state: asks the servo bus to power up on entry, then waits for its result — Ready holds the arm where
/// torque was enabled and fires <see cref="SafetyTrigger.PowerReady"/>; Failed is audited with its reason and fires
/// <see cref="SafetyTrigger.PowerFailed"/>. Owned by the loop thread.
/// </summary>
internal sealed class PowerUpStepper(IServoPower power, JointCommand joints, SafetySupervisor supervisor, ControlAudit audit)
{
    /// <summary>Entering Powering: starts the power-up sequence.</summary>
    public void Request() => power.RequestPowerUp();

    /// <summary>One Powering cycle.</summary>
    public void Step()
    {
        switch (power.PowerUp)
        {
            case PowerUpStatus.Ready:
                joints.HoldAt(power.PowerUpPositions);
                power.AcknowledgePowerUp();
                supervisor.Fire(SafetyTrigger.PowerReady);
                break;
            case PowerUpStatus.Failed:
                audit.Write("powerUpFailed", ("reason", power.PowerUpFailure));
                supervisor.Fire(SafetyTrigger.PowerFailed);
                break;
            default:
                break;
        }
    }
}
