
namespace MeTAI.Simulation.Tests.Security;

public class EmbeddedBrokerSecurityTests
{
    [Fact]
    public async Task WrongPasswordAndAnonymous_Refused()
    {
        await using SimulatedRig rig = await SimulatedRig.StartAsync(TestRigs.Options());
        await BrokerSecurityScenarios.WrongPasswordAndAnonymous_Refused(rig.BrokerHost, rig.BrokerPort);
        Assert.True(rig.Broker!.RefusedConnections >= 3);
    }

    [Fact]
    public async Task ClientWithoutRights_CannotMoveController()
    {
        await using SimulatedRig rig = await SimulatedRig.StartAsync(TestRigs.Options());
        await BrokerSecurityScenarios.ClientWithoutRights_CannotMoveController(rig);
        Assert.True(rig.Broker!.RefusedPublishes >= 23);
    }
}
