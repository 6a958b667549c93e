using System.Buffers;
using System.Collections.Concurrent;
using System.Diagnostics;
using MeTAI.Core.Geometry;
using MeTAI.Robotics.Control;
using MeTAI.Robotics.Transport;
using MQTTnet;
using MQTTnet.Packets;
using MQTTnet.Protocol;

namespace MeTAI.Robotics.Tests.Transport;

/// <summary>
/// Control of a console master, enforced by the embedded broker on loopback (shared sessions, issue 20): once the holder
/// is announced, only the holder's console token is admitted; a handover cuts the former holder off at once (its
/// publishes dropped, its connection closed); only an operator can announce, over the retained teleop/holder topic.
/// </summary>
public class TeleopHolderTests
{
    private static readonly byte[] Key = [.. Enumerable.Range(1, 32).Select(i => (byte)i)];
    private static readonly MqttTopics Topics = new("arm");
    private const string Master = "console1";

    private static string TokenFor(string user)
    {
        DateTimeOffset now = DateTimeOffset.UtcNow;
        return MasterToken.Issue(Key, Master, user, now, now.AddMinutes(5));
    }

    [Fact]
    public void Message_RoundTrips_AndMalformedOnesAreRefused()
    {
        Assert.True(TeleopHolderMessage.TryParse(new ReadOnlySequence<byte>(TeleopHolderMessage.Format(Master, "dr.a")), out string m, out string? u));
        Assert.Equal((Master, "dr.a"), (m, u));
        Assert.True(TeleopHolderMessage.TryParse(new ReadOnlySequence<byte>(TeleopHolderMessage.Format(Master, null)), out _, out string? nobody));
        Assert.Null(nobody);
        foreach (string bad in new[] { "", "{}", "[1]", "{\"master\":\"a/b\",\"user\":\"x\"}", "{\"master\":\"m\",\"user\":\"\"}", "{\"master\":\"m\"}", "{\"master\":\"m\",\"user\":3}", "not json" })
        {
            Assert.False(TeleopHolderMessage.TryParse(new ReadOnlySequence<byte>(System.Text.Encoding.UTF8.GetBytes(bad)), out _, out _), bad);
        }
    }

    [Fact]
    public async Task NoAnnouncement_AnyValidTokenIsAdmitted()
    {
        await using EmbeddedBroker broker = await StartBroker();
        Assert.Equal(MqttClientConnectResultCode.Success, await ConnectResult(broker.Port, TokenFor("dr.a")));
        Assert.Equal(MqttClientConnectResultCode.Success, await ConnectResult(broker.Port, TokenFor("dr.b")));
        Assert.Equal((false, (string?)null), broker.TokenHolderOf(Master));
    }

    [Fact]
    public async Task HolderAnnounced_OnlyTheHoldersTokenIsAdmitted_TheRefusalSaysWhy()
    {
        await using EmbeddedBroker broker = await StartBroker();
        await broker.SetTokenHolderAsync(Master, "dr.a");
        Assert.Equal(MqttClientConnectResultCode.NotAuthorized, await ConnectResult(broker.Port, TokenFor("dr.b")));
        Assert.Contains("held by another user", broker.LastRefusal, StringComparison.Ordinal);
        Assert.Equal(MqttClientConnectResultCode.Success, await ConnectResult(broker.Port, TokenFor("dr.a")));

        await broker.SetTokenHolderAsync(Master, null);
        Assert.Equal(MqttClientConnectResultCode.NotAuthorized, await ConnectResult(broker.Port, TokenFor("dr.a")));
        Assert.Contains("nobody holds control", broker.LastRefusal, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Handover_TheFormerHoldersPosesStopReachingTheController_AndItIsDisconnected()
    {
        await using EmbeddedBroker broker = await StartBroker();
        await broker.SetTokenHolderAsync(Master, "dr.a");
        var poses = new ConcurrentQueue<long>();
        await using var controller = new MqttConnection(new MqttConnectionOptions
        {
            Endpoint = Local(broker.Port, "controller", "c-pw"),
            Subscriptions = [new MqttTopicFilter { Topic = Topics.MasterPose(Master), QualityOfServiceLevel = MqttQualityOfServiceLevel.AtMostOnce }],
            OnMessage = (_, payload) => poses.Enqueue(MqttPayloads.TryReadPose(payload, out MasterSample s) ? s.Sequence : -1),
        });
        await controller.ConnectAsync();
        await using var former = new MqttConnection(new MqttConnectionOptions { Endpoint = Local(broker.Port, Master, TokenFor("dr.a")) });
        await former.ConnectAsync();

        // dr.a drives: its poses arrive.
        long seq = 0;
        var sw = Stopwatch.StartNew();
        while (poses.IsEmpty && sw.Elapsed < TimeSpan.FromSeconds(10))
        {
            await former.PublishAsync(Topics.MasterPose(Master), Pose(++seq), reliable: true);
            await Task.Delay(10);
        }

        Assert.False(poses.IsEmpty, "the holder's poses reach the controller");

        // Control goes to dr.b: from the announcement on, nothing dr.a sends gets through, and its connection is closed.
        await broker.SetTokenHolderAsync(Master, "dr.b");
        long refusedBefore = broker.RefusedPublishes;
        long lastBefore = seq;
        for (int i = 0; i < 20 && former.IsConnected; i++)
        {
            former.Publish(Topics.MasterPose(Master), Pose(++seq));
            await Task.Delay(10);
        }

        sw.Restart();
        while (former.IsConnected && sw.Elapsed < TimeSpan.FromSeconds(10))
        {
            await Task.Delay(20);
        }

        Assert.False(former.IsConnected, "the former holder is disconnected");
        await Task.Delay(200); // anything in flight has landed
        Assert.DoesNotContain(poses, s => s > lastBefore);
        Assert.True(broker.RefusedPublishes >= refusedBefore);
        Assert.Equal(MqttClientConnectResultCode.Success, await ConnectResult(broker.Port, TokenFor("dr.b")));
    }

    [Fact]
    public async Task OnlyAnOperatorCanAnnounce_OverTheRetainedTopic()
    {
        await using EmbeddedBroker broker = await StartBroker();
        await using var observer = new MqttConnection(new MqttConnectionOptions { Endpoint = Local(broker.Port, "observer", "o-pw") });
        await observer.ConnectAsync();
        await using var master = new MqttConnection(new MqttConnectionOptions { Endpoint = Local(broker.Port, Master, TokenFor("dr.b")) });
        await master.ConnectAsync();

        // Neither an observer nor a console master may say who holds control: refused, nothing changes.
        await observer.PublishAsync(Topics.TeleopHolder, TeleopHolderMessage.Format(Master, "dr.b"), reliable: true);
        await master.PublishAsync(Topics.TeleopHolder, TeleopHolderMessage.Format(Master, "dr.b"), reliable: true);
        Assert.Equal((false, (string?)null), broker.TokenHolderOf(Master));
        Assert.True(broker.RefusedPublishes >= 2);

        // The operator (the service) says dr.a holds it: dr.b's console is cut off, dr.a's admitted.
        await using var operatorLink = new MqttConnection(new MqttConnectionOptions { Endpoint = Local(broker.Port, "operator", "op-pw") });
        await operatorLink.ConnectAsync();
        Assert.True(operatorLink.Publish(Topics.TeleopHolder, TeleopHolderMessage.Format(Master, "dr.a"), retain: true, reliable: true));
        var sw = Stopwatch.StartNew();
        while ((broker.TokenHolderOf(Master).User != "dr.a" || master.IsConnected) && sw.Elapsed < TimeSpan.FromSeconds(10))
        {
            await Task.Delay(20);
        }

        Assert.Equal((true, "dr.a"), broker.TokenHolderOf(Master));
        Assert.False(master.IsConnected);
        Assert.Equal(MqttClientConnectResultCode.NotAuthorized, await ConnectResult(broker.Port, TokenFor("dr.b")));
        Assert.Equal(MqttClientConnectResultCode.Success, await ConnectResult(broker.Port, TokenFor("dr.a")));
    }

    private static byte[] Pose(long sequence)
    {
        byte[] pose = new byte[MqttPayloads.PoseLength];
        MqttPayloads.WritePose(pose, new MasterSample(new Pose(Vec3.Zero, Quat.Identity), false, true, sequence, 0));
        return pose;
    }

    private static async Task<EmbeddedBroker> StartBroker()
    {
        var broker = new EmbeddedBroker(new EmbeddedBrokerOptions
        {
            Robot = "arm",
            Users =
            [
                MqttUser.Create("controller", MqttRole.Controller, "c-pw"),
                MqttUser.Create("operator", MqttRole.Operator, "op-pw"),
                MqttUser.Create("observer", MqttRole.Observer, "o-pw"),
            ],
            MasterTokenKey = Key,
        });
        await broker.StartAsync();
        return broker;
    }

    private static async Task<MqttClientConnectResultCode> ConnectResult(int port, string token)
    {
        using IMqttClient client = new MqttClientFactory().CreateMqttClient();
        MqttClientConnectResult result = await client.ConnectAsync(MqttClientOptionsFactory.Create(Local(port, Master, token)));
        return result.ResultCode;
    }

    private static MqttEndpoint Local(int port, string user, string password) => new() { Host = "127.0.0.1", Port = port, UserName = user, Password = password };
}
