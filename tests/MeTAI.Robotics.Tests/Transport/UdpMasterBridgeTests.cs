using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using MeTAI.Core.Geometry;
using MeTAI.Robotics.Control;
using MeTAI.Robotics.Transport;
using MQTTnet.Packets;
using MQTTnet.Protocol;

namespace MeTAI.Robotics.Tests.Transport;

/// <summary>
/// The reference UDP bridge of docs/mqtt-topics.md against the embedded broker: a device's valid pose datagrams reach
/// the controller's side unchanged, malformed ones are dropped, the heartbeat runs only while the device sends, and
/// force comes back to the device as a datagram.
/// </summary>
public class UdpMasterBridgeTests
{
    private static readonly MqttTopics Topics = new("arm");
    private static readonly byte[] Garbage = [1, 2, 3];

    [Fact]
    public async Task Bridge_RelaysPoses_HeartbeatsOnlyWhileTheDeviceSends_AndReturnsForce()
    {
        await using var broker = new EmbeddedBroker(new EmbeddedBrokerOptions
        {
            Robot = "arm",
            Users = [MqttUser.Create("controller", MqttRole.Controller, "c-pw"), MqttUser.Create("master1", MqttRole.Master, "m-pw")],
        });
        await broker.StartAsync();
        var received = new ConcurrentQueue<(string Topic, byte[] Payload)>();
        await using var controller = new MqttConnection(new MqttConnectionOptions
        {
            Endpoint = new MqttEndpoint { Host = "127.0.0.1", Port = broker.Port, UserName = "controller", Password = "c-pw" },
            Subscriptions =
            [
                new MqttTopicFilter { Topic = "metai/v1/arm/master/+/pose", QualityOfServiceLevel = MqttQualityOfServiceLevel.AtMostOnce },
                new MqttTopicFilter { Topic = "metai/v1/arm/master/+/heartbeat", QualityOfServiceLevel = MqttQualityOfServiceLevel.AtMostOnce },
            ],
            OnMessage = (topic, payload) => received.Enqueue((topic, payload.ToArray())),
        });
        await controller.ConnectAsync();
        await using var bridge = new UdpMasterBridge(new UdpMasterBridgeOptions
        {
            Listen = new IPEndPoint(IPAddress.Loopback, 0),
            Broker = new MqttEndpoint { Host = "127.0.0.1", Port = broker.Port, UserName = "master1", Password = "m-pw" },
            Robot = "arm",
            MasterId = "master1",
        });
        await bridge.StartAsync();

        using var device = new UdpClient(new IPEndPoint(IPAddress.Loopback, 0));
        byte[] pose = new byte[MqttPayloads.PoseLength];
        await device.SendAsync(Garbage, bridge.LocalEndPoint!);
        byte[] force = new byte[MqttPayloads.ForceLength];
        MqttPayloads.WriteForce(force, new Vec3(0.5, 0, -1), true, 7, 0);
        Task<UdpReceiveResult> forceBack = device.ReceiveAsync();
        var sw = Stopwatch.StartNew();
        long seq = 0;
        while (!(received.Any(r => r.Topic == Topics.MasterPose("master1")) && received.Any(r => r.Topic == Topics.MasterHeartbeat("master1")) && forceBack.IsCompleted)
            && sw.Elapsed < TimeSpan.FromSeconds(20))
        {
            MqttPayloads.WritePose(pose, new MasterSample(new Pose(new Vec3(0.01, 0, 0), Quat.Identity), false, true, ++seq, 0));
            await device.SendAsync(pose, bridge.LocalEndPoint!);
            await controller.PublishAsync(Topics.MasterForce("master1"), force);
            await Task.Delay(2);
        }

        (string _, byte[] relayed) = received.First(r => r.Topic == Topics.MasterPose("master1"));
        Assert.True(MqttPayloads.TryReadPose(relayed, out MasterSample sample));
        Assert.True(sample.OperatorPresent);
        Assert.Equal(0.01, sample.Pose.Position.X);
        Assert.Contains(received, r => r.Topic == Topics.MasterHeartbeat("master1") && MqttPayloads.TryReadHeartbeat(r.Payload, out _));
        Assert.Equal(1, bridge.Dropped);
        Assert.True(forceBack.IsCompleted, "no force came back to the device");
        Assert.Equal(force, (await forceBack).Buffer);

        // The device falls silent: once its last pose is older than 20 ms, no further heartbeat.
        await Task.Delay(100);
        long beats = bridge.HeartbeatsSent;
        await Task.Delay(200);
        Assert.Equal(beats, bridge.HeartbeatsSent);
    }

    [Fact]
    public void Options_BadMasterIdOrSilenceBeyondTheWatchdog_Throw()
    {
        MqttEndpoint broker = new() { Host = "127.0.0.1", Port = 1, UserName = "m", Password = "p" };
        Assert.Throws<ArgumentException>(() => new UdpMasterBridge(new UdpMasterBridgeOptions { Listen = new IPEndPoint(IPAddress.Loopback, 0), Broker = broker, Robot = "arm", MasterId = "a/b" }));
        Assert.Throws<ArgumentException>(() => new UdpMasterBridge(new UdpMasterBridgeOptions
        {
            Listen = new IPEndPoint(IPAddress.Loopback, 0), Broker = broker, Robot = "arm", MasterId = "m", DeviceSilenceMs = 50,
        }));
    }
}
