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
/// The short-lived master credentials of the browser console: the token itself, and the embedded broker on loopback
/// admitting a valid one as a master with every master's ACL and refusing expired, forged and wrong-user ones, saying why.
/// </summary>
public class MasterTokenTests
{
    private static readonly byte[] Key = [.. Enumerable.Range(1, 32).Select(i => (byte)i)];
    private static readonly byte[] OtherKey = [.. Enumerable.Range(101, 32).Select(i => (byte)i)];
    private static readonly MqttTopics Topics = new("arm");
    private static readonly DateTimeOffset Now = DateTimeOffset.UtcNow;

    private static string Token(string master = "console1", byte[]? key = null, double issuedMinutesAgo = 0, double lifetimeMinutes = 5) =>
        MasterToken.Issue(key ?? Key, master, "dr.surgeon", Now.AddMinutes(-issuedMinutesAgo), Now.AddMinutes(lifetimeMinutes - issuedMinutesAgo));

    [Fact]
    public void TryVerify_ValidToken_GivesTheUserItWasIssuedTo()
    {
        Assert.True(MasterToken.TryVerify(Key, "console1", Token(), Now, out string who, out string reason), reason);
        Assert.Equal("dr.surgeon", who);
    }

    [Theory]
    [InlineData("expired", "expired")]
    [InlineData("wrongMaster", "bad signature")]
    [InlineData("otherKey", "bad signature")]
    [InlineData("altered", "bad signature")]
    [InlineData("malformed", "malformed")]
    [InlineData("future", "in the future")]
    public void TryVerify_BadToken_IsRefusedWithTheReason(string kind, string reason)
    {
        string token = kind switch
        {
            "expired" => Token(issuedMinutesAgo: 10, lifetimeMinutes: 5),
            "wrongMaster" => Token(master: "master2"),
            "otherKey" => Token(key: OtherKey),
            "altered" => AlterExpiry(Token()),
            "future" => Token(issuedMinutesAgo: -10),
            _ => "mt1.garbage",
        };
        Assert.False(MasterToken.TryVerify(Key, "console1", token, Now, out _, out string why));
        Assert.Contains(reason, why, StringComparison.Ordinal);
    }

    [Fact]
    public void Issue_TooLongALifetimeOrABadMasterId_Throws()
    {
        Assert.Throws<ArgumentException>(() => MasterToken.Issue(Key, "console1", "u", Now, Now.AddHours(2)));
        Assert.Throws<ArgumentException>(() => MasterToken.Issue(Key, "a/b", "u", Now, Now.AddMinutes(1)));
        Assert.Throws<ArgumentException>(() => MasterToken.Issue(Key, "+", "u", Now, Now.AddMinutes(1)));
    }

    [Fact]
    public void KeyFile_LoadOrCreate_WritesOwnerOnlyAndReadsTheSameKeyBack()
    {
        string dir = Path.Combine(Path.GetTempPath(), "metai-token-" + Guid.NewGuid().ToString("N")[..8]);
        string path = Path.Combine(dir, "teleop.key");
        try
        {
            byte[] first = MasterTokenKey.LoadOrCreate(path);
            Assert.Equal(MasterTokenKey.KeyBytes, first.Length);
            Assert.Equal(first, MasterTokenKey.LoadOrCreate(path));
            if (!OperatingSystem.IsWindows())
            {
                Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(path));
            }

            File.WriteAllText(path, "c2hvcnQ=");
            FormatException e = Assert.Throws<FormatException>(() => MasterTokenKey.Load(path));
            Assert.Contains(path, e.Message, StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [Fact]
    public async Task Broker_ValidToken_PublishesItsOwnPoseOnly()
    {
        await using EmbeddedBroker broker = await StartBroker(Key);
        var poses = new ConcurrentQueue<string>();
        await using var controller = new MqttConnection(new MqttConnectionOptions
        {
            Endpoint = Local(broker.Port, "controller", "c-pw"),
            Subscriptions = [new MqttTopicFilter { Topic = "metai/v1/arm/master/+/pose", QualityOfServiceLevel = MqttQualityOfServiceLevel.AtMostOnce }],
            OnMessage = (topic, _) => poses.Enqueue(topic),
        });
        await controller.ConnectAsync();
        await using var console = new MqttConnection(new MqttConnectionOptions { Endpoint = Local(broker.Port, "console1", Token()) });
        await console.ConnectAsync();
        Assert.True(console.IsConnected);

        byte[] pose = new byte[MqttPayloads.PoseLength];
        MqttPayloads.WritePose(pose, new MasterSample(new Pose(Vec3.Zero, Quat.Identity), false, true, 1, 0));
        var sw = Stopwatch.StartNew();
        while (poses.IsEmpty && sw.Elapsed < TimeSpan.FromSeconds(10))
        {
            await console.PublishAsync(Topics.MasterPose("master2"), pose, reliable: true);
            await console.PublishAsync(Topics.MasterPose("console1"), pose, reliable: true);
            await Task.Delay(20);
        }

        Assert.Contains(Topics.MasterPose("console1"), poses);
        Assert.DoesNotContain(Topics.MasterPose("master2"), poses);
        Assert.True(broker.RefusedPublishes > 0);
        Assert.Equal(0, broker.RefusedConnections);
    }

    [Theory]
    [InlineData("expired", "expired")]
    [InlineData("forged", "bad signature")]
    [InlineData("wrongUser", "bad signature")]
    public async Task Broker_BadToken_RefusesTheConnectionAndSaysWhy(string kind, string reason)
    {
        var log = new ConcurrentQueue<string>();
        await using EmbeddedBroker broker = await StartBroker(Key, log);
        string token = kind switch
        {
            "expired" => Token(issuedMinutesAgo: 10, lifetimeMinutes: 5),
            "forged" => Token(key: OtherKey),
            _ => Token(master: "master2"), // issued for master2, presented by console1
        };
        Assert.Equal(MqttClientConnectResultCode.BadUserNameOrPassword, await ConnectResult(Local(broker.Port, "console1", token)));
        Assert.Equal(1, broker.RefusedConnections);
        Assert.Contains(reason, broker.LastRefusal, StringComparison.Ordinal);
        Assert.Contains(log, l => l.Contains("console1", StringComparison.Ordinal) && l.Contains(reason, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Broker_WithoutAKey_RefusesTokens()
    {
        await using EmbeddedBroker broker = await StartBroker(null);
        Assert.Equal(MqttClientConnectResultCode.BadUserNameOrPassword, await ConnectResult(Local(broker.Port, "console1", Token())));
        Assert.Contains("no --teleop-key", broker.LastRefusal, StringComparison.Ordinal);
    }

    private static async Task<EmbeddedBroker> StartBroker(byte[]? key, ConcurrentQueue<string>? log = null)
    {
        var broker = new EmbeddedBroker(new EmbeddedBrokerOptions
        {
            Robot = "arm",
            Users = [MqttUser.Create("controller", MqttRole.Controller, "c-pw")],
            MasterTokenKey = key,
            Log = log is null ? null : new Action<string>(log.Enqueue),
        });
        await broker.StartAsync();
        return broker;
    }

    // What the broker answered a CONNECT with (MQTTnet 5 returns a refusal rather than throwing it).
    private static async Task<MqttClientConnectResultCode> ConnectResult(MqttEndpoint endpoint)
    {
        using IMqttClient client = new MqttClientFactory().CreateMqttClient();
        MqttClientConnectResult result = await client.ConnectAsync(MqttClientOptionsFactory.Create(endpoint));
        return result.ResultCode;
    }

    private static MqttEndpoint Local(int port, string user, string password) => new() { Host = "127.0.0.1", Port = port, UserName = user, Password = password };

    // The same signature with a later expiry: must not verify.
    private static string AlterExpiry(string token)
    {
        string[] p = token.Split('.');
        p[2] = (long.Parse(p[2], System.Globalization.CultureInfo.InvariantCulture) + 3600).ToString(System.Globalization.CultureInfo.InvariantCulture);
        return string.Join('.', p);
    }
}
