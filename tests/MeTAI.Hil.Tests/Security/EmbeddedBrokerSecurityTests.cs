using MeTAI.Hil.Bench;

namespace MeTAI.Hil.Tests.Security;

public class EmbeddedBrokerSecurityTests
{
    [Fact]
    public async Task WrongPasswordAndAnonymous_Refused()
    {
        await using ControlRig rig = await ControlRig.StartAsync(TestRigs.Options());
        await BrokerSecurityScenarios.WrongPasswordAndAnonymous_Refused(rig.BrokerHost, rig.BrokerPort);
        Assert.True(rig.Broker!.RefusedConnections >= 3);
    }

    [Fact]
    public async Task ClientWithoutRights_CannotMoveController()
    {
        await using ControlRig rig = await ControlRig.StartAsync(TestRigs.Options());
        await BrokerSecurityScenarios.ClientWithoutRights_CannotMoveController(rig);
        Assert.True(rig.Broker!.RefusedPublishes >= 23);
    }
}
