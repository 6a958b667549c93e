using MeTAI.Robotics.Transport;
using MeTAI.TestUtilities;

namespace MeTAI.Simulation.Tests.Security;

/// <summary>The security scenarios against a real Mosquitto with a password file and the generated ACL.</summary>
public class MosquittoSecurityTests
{
    [Fact]
    public async Task WrongPasswordAndAnonymous_Refused()
    {
        IReadOnlyList<RigUser> users = RigUser.Generate();
        using MosquittoBroker mosquitto = StartMosquitto(users);
        await BrokerSecurityScenarios.WrongPasswordAndAnonymous_Refused("127.0.0.1", mosquitto.Port);
    }

    [Fact]
    public async Task ClientWithoutRights_CannotMoveController()
    {
        IReadOnlyList<RigUser> users = RigUser.Generate();
        using MosquittoBroker mosquitto = StartMosquitto(users);
        await using SimulatedRig rig = await SimulatedRig.StartAsync(TestRigs.Options(externalBroker: ("127.0.0.1", mosquitto.Port), users: users));
        await BrokerSecurityScenarios.ClientWithoutRights_CannotMoveController(rig);
    }

    /// <summary>A real Mosquitto with the rig's accounts and the ACL generated from the controller's access policy.</summary>
    internal static MosquittoBroker StartMosquitto(IReadOnlyList<RigUser> users) =>
        MosquittoBroker.Start(users.Select(u => (u.Name, u.Password)), new MqttAccessPolicy(new MqttTopics("metai-arm6")).ToMosquittoAcl(users.Select(u => (u.Name, u.Role))));
}
