using MeTAI.Core.Geometry;
using MeTAI.Robotics.Control;
using MeTAI.Robotics.Safety;
using MeTAI.Robotics.Transport;
using MQTTnet;

namespace MeTAI.Simulation.Tests.Security;

/// <summary>The same security scenarios against the embedded broker and against Mosquitto.</summary>
internal static class BrokerSecurityScenarios
{
    public static async Task WrongPasswordAndAnonymous_Refused(string host, int port)
    {
        Assert.True(await MqttClients.IsRefusedAsync(host, port, "master1", "wrong-password"));
        Assert.True(await MqttClients.IsRefusedAsync(host, port, null, null));
        Assert.True(await MqttClients.IsRefusedAsync(host, port, "nobody", "whatever"));
    }

    /// <summary>
    /// An observer (valid account, read-only) and an impostor master publish commands and poses: the controller
    /// neither changes state nor moves. Then the legitimate operator's command works, so the refusal came from the ACL.
    /// </summary>
    public static async Task ClientWithoutRights_CannotMoveController(SimulatedRig rig)
    {
        await rig.ReadyAsync();
        await Task.Delay(300);
        MqttTopics topics = rig.Controller.Topics;
        int[] goalsBefore = [.. rig.Servos.Servos.Select(s => s.GoalCounts)];
        long posesBefore = rig.Controller.Link.Poses;

        using IMqttClient observer = await MqttClients.ConnectAsync(rig.BrokerHost, rig.BrokerPort, "observer", Password(rig, "observer"));
        await MqttClients.PublishAsync(observer, topics.Command, MqttClients.Command(ControllerCommandKind.StartTeleop));
        byte[] pose = new byte[MqttPayloads.PoseLength];
        MqttPayloads.WritePose(pose, new MasterSample(rig.MasterHome with { Position = new Vec3(0.2, 0, 0) }, false, true, 1, 1));
        for (int i = 0; i < 20; i++)
        {
            await MqttClients.PublishAsync(observer, topics.MasterPose("master1"), pose);
        }

        // A master may publish only under its own ID: "operator" posing as master1 is dropped too.
        using IMqttClient operatorClient = await MqttClients.ConnectAsync(rig.BrokerHost, rig.BrokerPort, "operator", Password(rig, "operator"));
        await MqttClients.PublishAsync(operatorClient, topics.MasterPose("master1"), pose);
        await MqttClients.PublishAsync(operatorClient, topics.ServoGoal, new byte[24]);

        await Task.Delay(500);
        Assert.True(rig.Controller.State == SafetyState.Ready, rig.AuditTail());
        Assert.Equal(goalsBefore, rig.Servos.Servos.Select(s => s.GoalCounts).ToArray());
        Assert.Equal(0, rig.Controller.Link.Rejected);

        // The legitimate path works: the operator's own command starts teleoperation.
        await MqttClients.PublishAsync(operatorClient, topics.Command, MqttClients.Command(ControllerCommandKind.StartTeleop));
        Assert.True(await rig.Controller.WaitForStateAsync(SafetyState.Following, TimeSpan.FromSeconds(10)), rig.AuditTail());
        Assert.True(rig.Controller.Link.Poses > posesBefore);
    }

    private static string Password(SimulatedRig rig, string user) => rig.Users.First(u => u.Name == user).Password;
}
