using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Net.WebSockets;
using System.Text.Json;
using MeTAI.Core.Geometry;
using MeTAI.Robotics.Control;
using MeTAI.Robotics.Transport;
using MeTAI.Service.Users;
using MQTTnet;
using MQTTnet.Packets;
using MQTTnet.Protocol;

namespace MeTAI.Service.Tests.Teleop;

/// <summary>
/// The browser console's credential and relay: only surgeons get a credential (audited); an MQTTnet client over
/// WebSocket through the service's relay (real Kestrel on loopback) reaches a real embedded broker that checks the
/// token, may publish its own pose and not another master's, and receives its force; the relay refuses bad
/// credentials and other origins.
/// </summary>
public sealed class TeleopApiTests : IDisposable
{
    private static readonly MqttTopics Topics = new("metai-arm6");
    private readonly string _dir = ServiceFactory.NewDataDirectory();

    private string KeyFile => Path.Combine(_dir, "teleop.key");

    private Dictionary<string, string?> Settings(int brokerPort, bool withKey = true)
    {
        var settings = new Dictionary<string, string?>
        {
            ["Controller:Mode"] = "mqtt",
            ["Controller:Broker"] = $"mqtt://127.0.0.1:{brokerPort}",
            ["Controller:Password"] = "observer-pw",
            ["Controller:TeleopMaster"] = "console1",
        };
        if (withKey)
        {
            settings["Controller:TeleopKeyFile"] = KeyFile;
        }

        return settings;
    }

    [Fact]
    public async Task Credential_Surgeon_GetsAShortLivedTokenTheKeyVerifies_AndItIsAudited()
    {
        using var service = new ServiceFactory(null, settings: Settings(EmbeddedBroker.FreeTcpPort()));
        HttpResponseMessage r = await service.UserClient("sam", Role.Surgeon).PostAsync("/api/teleop/credential", null);
        string text = await r.Content.ReadAsStringAsync();
        Assert.True(r.StatusCode == HttpStatusCode.OK, text);
        using JsonDocument doc = JsonDocument.Parse(text);
        JsonElement c = doc.RootElement;
        Assert.Equal("console1", c.GetProperty("masterId").GetString());
        Assert.Equal("metai-arm6", c.GetProperty("robot").GetString());
        Assert.Equal(Topics.MasterPose("console1"), c.GetProperty("topics").GetProperty("pose").GetString());
        Assert.Equal(4, c.GetProperty("masterOrientation").GetArrayLength());
        DateTimeOffset expires = c.GetProperty("expiresUtc").GetDateTimeOffset();
        Assert.InRange(expires - DateTimeOffset.UtcNow, TimeSpan.FromMinutes(4), TimeSpan.FromMinutes(5.5));
        Assert.StartsWith("/api/teleop/mqtt?master=console1&token=", c.GetProperty("webSocketUrl").GetString(), StringComparison.Ordinal);

        byte[] key = MasterTokenKey.Load(KeyFile);
        Assert.True(MasterToken.TryVerify(key, "console1", c.GetProperty("password").GetString(), DateTimeOffset.UtcNow, out string who, out string reason), reason);
        Assert.Equal("sam", who);
        Assert.False(MasterToken.TryVerify(key, "master1", c.GetProperty("password").GetString(), DateTimeOffset.UtcNow, out _, out _));

        HttpClient admin = service.UserClient("ada", Role.Admin);
        JsonElement audit = await admin.GetFromJsonAsync<JsonElement>("/api/audit?kind=teleopCredential");
        JsonElement record = Assert.Single(audit.EnumerateArray());
        Assert.Equal("sam", record.GetProperty("user").GetString());
    }

    [Theory]
    [InlineData(Role.Dosimetrist)]
    [InlineData(Role.Physicist)]
    [InlineData(Role.Physician)]
    [InlineData(Role.Engineer)]
    [InlineData(Role.Admin)]
    public async Task Credential_NotASurgeon_Answers403(Role role)
    {
        using var service = new ServiceFactory(null, settings: Settings(EmbeddedBroker.FreeTcpPort()));
        HttpResponseMessage r = await service.UserClient("someone", role).PostAsync("/api/teleop/credential", null);
        Assert.Equal(HttpStatusCode.Forbidden, r.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await service.CreateClient().PostAsync("/api/teleop/credential", null)).StatusCode);
    }

    [Fact]
    public async Task Credential_WithoutAKeyFile_Answers503WithHowToTurnItOn()
    {
        using var service = new ServiceFactory(null, settings: Settings(EmbeddedBroker.FreeTcpPort(), withKey: false));
        HttpResponseMessage r = await service.UserClient("sam", Role.Surgeon).PostAsync("/api/teleop/credential", null);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, r.StatusCode);
        Assert.Contains("--teleop-key", await r.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Relay_MqttOverWebSocket_ReachesTheBroker_OwnPoseOnly_ForceBack()
    {
        await using EmbeddedBroker broker = new(new EmbeddedBrokerOptions
        {
            Robot = "metai-arm6",
            Users = [MqttUser.Create("controller", MqttRole.Controller, "controller-pw"), MqttUser.Create("observer", MqttRole.Observer, "observer-pw")],
            MasterTokenKey = MasterTokenKey.LoadOrCreate(KeyFile),
        });
        await broker.StartAsync();
        int httpPort = EmbeddedBroker.FreeTcpPort();
        using var service = new ServiceFactory(null, settings: Settings(broker.Port));
        service.UseKestrel(httpPort);
        service.StartServer();
        JsonElement c = await Credential(service);

        // The controller's side, on the broker's TCP port: it hears the console's poses.
        var poses = new ConcurrentQueue<string>();
        await using var controller = new MqttConnection(new MqttConnectionOptions
        {
            Endpoint = new MqttEndpoint { Host = "127.0.0.1", Port = broker.Port, UserName = "controller", Password = "controller-pw" },
            Subscriptions = [new MqttTopicFilter { Topic = "metai/v1/metai-arm6/master/+/pose", QualityOfServiceLevel = MqttQualityOfServiceLevel.AtMostOnce }],
            OnMessage = (topic, _) => poses.Enqueue(topic),
        });
        await controller.ConnectAsync();

        // The console's side: MQTT over WebSocket through the service.
        using IMqttClient console = new MqttClientFactory().CreateMqttClient();
        var forces = new ConcurrentQueue<int>();
        console.ApplicationMessageReceivedAsync += e =>
        {
            forces.Enqueue((int)e.ApplicationMessage.Payload.Length);
            return Task.CompletedTask;
        };
        MqttClientOptions options = new MqttClientOptionsBuilder()
            .WithWebSocketServer(o => o.WithUri($"ws://127.0.0.1:{httpPort}{c.GetProperty("webSocketUrl").GetString()}"))
            .WithClientId("console1")
            .WithCredentials("console1", c.GetProperty("password").GetString())
            .Build();
        MqttClientConnectResult connected = await console.ConnectAsync(options);
        Assert.Equal(MqttClientConnectResultCode.Success, connected.ResultCode);
        MqttClientSubscribeResult sub = await console.SubscribeAsync(new MqttClientSubscribeOptionsBuilder().WithTopicFilter(Topics.MasterForce("console1")).Build());
        Assert.Equal(MqttClientSubscribeResultCode.GrantedQoS0, sub.Items.Single().ResultCode);

        byte[] pose = new byte[MqttPayloads.PoseLength];
        MqttPayloads.WritePose(pose, new MasterSample(new Pose(Vec3.Zero, Quat.Identity), false, true, 1, 0));
        byte[] force = new byte[MqttPayloads.ForceLength];
        MqttPayloads.WriteForce(force, new Vec3(1, 0, 0), true, 1, 0);
        var sw = Stopwatch.StartNew();
        while ((poses.IsEmpty || forces.IsEmpty) && sw.Elapsed < TimeSpan.FromSeconds(20))
        {
            await console.PublishBinaryAsync(Topics.MasterPose("master1"), pose, MqttQualityOfServiceLevel.AtLeastOnce);
            await console.PublishBinaryAsync(Topics.MasterPose("console1"), pose, MqttQualityOfServiceLevel.AtLeastOnce);
            await controller.PublishAsync(Topics.MasterForce("console1"), force);
            await Task.Delay(20);
        }

        Assert.Contains(Topics.MasterPose("console1"), poses);
        Assert.DoesNotContain(Topics.MasterPose("master1"), poses);
        Assert.True(broker.RefusedPublishes > 0, "the ACL did not refuse the other master's pose");
        Assert.Contains(MqttPayloads.ForceLength, forces);
        await console.DisconnectAsync();
    }

    [Fact]
    public async Task Relay_RefusesAForgedCredentialAndAnotherOrigin()
    {
        await using EmbeddedBroker broker = new(new EmbeddedBrokerOptions
        {
            Robot = "metai-arm6",
            Users = [MqttUser.Create("observer", MqttRole.Observer, "observer-pw")],
            MasterTokenKey = MasterTokenKey.LoadOrCreate(KeyFile),
        });
        await broker.StartAsync();
        int httpPort = EmbeddedBroker.FreeTcpPort();
        using var service = new ServiceFactory(null, settings: Settings(broker.Port));
        service.UseKestrel(httpPort);
        service.StartServer();
        JsonElement c = await Credential(service);
        string good = c.GetProperty("webSocketUrl").GetString()!;

        byte[] otherKey = new byte[MasterTokenKey.KeyBytes];
        string forged = MasterToken.Issue(otherKey, "console1", "mallory", DateTimeOffset.UtcNow, DateTimeOffset.UtcNow.AddMinutes(5));
        Assert.Equal(HttpStatusCode.Unauthorized, await Handshake(httpPort, $"/api/teleop/mqtt?master=console1&token={Uri.EscapeDataString(forged)}", null));
        Assert.Equal(HttpStatusCode.Forbidden, await Handshake(httpPort, good, "http://evil.example"));
        Assert.Equal(HttpStatusCode.SwitchingProtocols, await Handshake(httpPort, good, $"http://127.0.0.1:{httpPort}"));
    }

    [Fact]
    public async Task Sim_WithAKey_TheConsoleProtocolOverTheRelayBringsTheSimulatedArmToFollowing()
    {
        int httpPort = EmbeddedBroker.FreeTcpPort();
        using var service = new ServiceFactory(null, settings: new Dictionary<string, string?>
        {
            ["Controller:Mode"] = "sim",
            ["Controller:TeleopKeyFile"] = KeyFile,
        });
        service.UseKestrel(httpPort);
        service.StartServer();
        HttpResponseMessage r = await service.UserClient("sam", Role.Surgeon).PostAsync("/api/teleop/credential", null);
        JsonElement c = await r.Content.ReadFromJsonAsync<JsonElement>();
        Assert.True(r.StatusCode == HttpStatusCode.OK, c.ToString());
        Assert.Equal("master1", c.GetProperty("masterId").GetString());
        MeTAI.Service.Controller.ControllerMonitor monitor = Microsoft.Extensions.DependencyInjection.ServiceProviderServiceExtensions.GetRequiredService<MeTAI.Service.Controller.ControllerMonitor>(service.Services);
        MeTAI.Simulation.SimulatedRig rig = monitor.Rig!;
        Assert.Null(rig.Master); // no master twin: the console is the master
        double[] q = [.. c.GetProperty("masterOrientation").EnumerateArray().Select(e => e.GetDouble())];
        Assert.Equal(rig.MasterHome.Orientation.W, q[0], 9);

        using IMqttClient console = new MqttClientFactory().CreateMqttClient();
        await console.ConnectAsync(new MqttClientOptionsBuilder()
            .WithWebSocketServer(o => o.WithUri($"ws://127.0.0.1:{httpPort}{c.GetProperty("webSocketUrl").GetString()}"))
            .WithClientId("master1").WithCredentials("master1", c.GetProperty("password").GetString()).Build());
        var orientation = new Quat(q[0], q[1], q[2], q[3]);
        byte[] pose = new byte[MqttPayloads.PoseLength];
        byte[] beat = new byte[MqttPayloads.HeartbeatLength];
        var sw = Stopwatch.StartNew();
        long seq = 0;
        while (rig.Controller.State != MeTAI.Robotics.Safety.SafetyState.Following && sw.Elapsed < TimeSpan.FromSeconds(60))
        {
            // Operator present, unclutched, still: the service's simulated operator enables, homes and starts teleoperation.
            MqttPayloads.WritePose(pose, new MasterSample(new Pose(Vec3.Zero, orientation), false, true, ++seq, 0));
            MqttPayloads.WriteHeartbeat(beat, seq, 0);
            await console.PublishBinaryAsync(Topics.MasterPose("master1"), pose);
            await console.PublishBinaryAsync(Topics.MasterHeartbeat("master1"), beat);
            await Task.Delay(10);
        }

        Assert.True(rig.Controller.State == MeTAI.Robotics.Safety.SafetyState.Following, $"the simulated arm is in {rig.Controller.State} ({rig.Controller.Core.LastInterlocks}). {rig.AuditTail()}");
        await console.DisconnectAsync();
    }

    private static async Task<JsonElement> Credential(ServiceFactory service)
    {
        HttpResponseMessage r = await service.UserClient("sam", Role.Surgeon).PostAsync("/api/teleop/credential", null);
        Assert.Equal(HttpStatusCode.OK, r.StatusCode);
        return await r.Content.ReadFromJsonAsync<JsonElement>();
    }

    // The HTTP status of a WebSocket handshake to the relay.
    private static async Task<HttpStatusCode> Handshake(int port, string pathAndQuery, string? origin)
    {
        using var ws = new ClientWebSocket { Options = { CollectHttpResponseDetails = true } };
        ws.Options.AddSubProtocol("mqtt");
        if (origin is not null)
        {
            ws.Options.SetRequestHeader("Origin", origin);
        }

        try
        {
            await ws.ConnectAsync(new Uri($"ws://127.0.0.1:{port}{pathAndQuery}"), CancellationToken.None);
            await ws.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, null, CancellationToken.None);
        }
        catch (WebSocketException)
        {
        }

        return ws.HttpStatusCode;
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(_dir, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
