using MeTAI.Robotics.Control;
using MeTAI.Robotics.Transport;

namespace MeTAI.Simulation.Devices;

/// <summary>An operator console on MQTT: sends JSON commands to the controller (QoS 1), as a person at a console would.</summary>
public sealed class OperatorConsoleClient(MqttEndpoint endpoint, string robot) : MqttDevice(endpoint, robot)
{
    /// <summary>Sends <paramref name="command"/>; false when not connected.</summary>
    public bool Send(ControllerCommand command) =>
        Publish(Topics.Command, System.Text.Encoding.UTF8.GetBytes(CommandJson.Format(command)), reliable: true);

    /// <summary>Sends a plain command.</summary>
    public bool Send(ControllerCommandKind kind, bool acknowledge = false) =>
        Send(new ControllerCommand { Kind = kind, Acknowledge = acknowledge, Operator = "hil-operator" });
}
