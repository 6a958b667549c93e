using MeTAI.Robotics.Transport;

namespace MeTAI.Simulation;

/// <summary>A broker account of the rig, with its plain password (the rig hands it to the clients it starts).</summary>
/// <param name="Name">User name.</param>
/// <param name="Role">Role.</param>
/// <param name="Password">Password.</param>
public sealed record RigUser(string Name, MqttRole Role, string Password)
{
    /// <summary>
    /// The default set with fresh random passwords: controller, master1, operator, observer, estop (every controller needs
    /// a heartbeating e-stop device); with <paramref name="deviceTwins"/> also linac and patient (the HIL's linac and
    /// patient-motion twins).
    /// </summary>
    public static IReadOnlyList<RigUser> Generate(bool deviceTwins = false) => deviceTwins
        ?
        [
            .. Generate(),
            new("linac", MqttRole.Linac, MqttUser.RandomPassword()),
            new("patient", MqttRole.PatientMonitor, MqttUser.RandomPassword()),
        ]
        :
        [
            new("controller", MqttRole.Controller, MqttUser.RandomPassword()),
            new("master1", MqttRole.Master, MqttUser.RandomPassword()),
            new("operator", MqttRole.Operator, MqttUser.RandomPassword()),
            new("observer", MqttRole.Observer, MqttUser.RandomPassword()),
            new("estop", MqttRole.EStopButton, MqttUser.RandomPassword()),
        ];
}
