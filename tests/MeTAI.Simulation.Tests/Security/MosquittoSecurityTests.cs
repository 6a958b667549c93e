
namespace MeTAI.Simulation.Tests.Security;

/// <summary>The security scenarios against a real Mosquitto with a password file and the generated ACL.</summary>
public class MosquittoSecurityTests
{
    [Fact]
    public async Task WrongPasswordAndAnonymous_Refused()
    {
        IReadOnlyList<RigUser> users = RigUser.Generate();
        using MosquittoBroker mosquitto = MosquittoBroker.Start("metai-arm6", users);
        await BrokerSecurityScenarios.WrongPasswordAndAnonymous_Refused("127.0.0.1", mosquitto.Port);
    }

    [Fact]
    public async Task ClientWithoutRights_CannotMoveController()
    {
        IReadOnlyList<RigUser> users = RigUser.Generate();
        using MosquittoBroker mosquitto = MosquittoBroker.Start("metai-arm6", users);
        await using SimulatedRig rig = await SimulatedRig.StartAsync(TestRigs.Options(externalBroker: ("127.0.0.1", mosquitto.Port), users: users));
        await BrokerSecurityScenarios.ClientWithoutRights_CannotMoveController(rig);
    }
}
