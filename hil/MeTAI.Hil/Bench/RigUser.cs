using MeTAI.Robotics.Transport;

namespace MeTAI.Hil.Bench;

/// <summary>A broker account of the rig, with its plain password (the rig hands it to the clients it starts).</summary>
/// <param name="Name">User name.</param>
/// <param name="Role">Role.</param>
/// <param name="Password">Password.</param>
public sealed record RigUser(string Name, MqttRole Role, string Password)
{
    /// <summary>The default set with fresh random passwords.</summary>
    public static IReadOnlyList<RigUser> Generate() =>
    [
        new("controller", MqttRole.Controller, MqttUser.RandomPassword()),
        new("master1", MqttRole.Master, MqttUser.RandomPassword()),
        new("operator", MqttRole.Operator, MqttUser.RandomPassword()),
        new("observer", MqttRole.Observer, MqttUser.RandomPassword()),
    ];
}
