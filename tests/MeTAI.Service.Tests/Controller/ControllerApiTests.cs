using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using MeTAI.Robotics.Transport;

namespace MeTAI.Service.Tests.Controller;

/// <summary>The controller endpoints against the simulated rig (real controller, pty servo twin, embedded broker).</summary>
public class ControllerApiTests : IClassFixture<ControllerApiTests.Fixture>
{
    private readonly Fixture _f;

    public ControllerApiTests(Fixture f) => _f = f;

    public sealed class Fixture : IDisposable
    {
        public ServiceFactory Sim { get; } = new(null, settings: new Dictionary<string, string?> { ["Controller:Mode"] = "sim" });

        public ServiceFactory None { get; } = new(null);

        public void Dispose()
        {
            Sim.Dispose();
            None.Dispose();
        }
    }

    [Fact]
    public async Task State_WithSimRig_ReachesReady_WithLoopStatistics()
    {
        HttpClient c = _f.Sim.KeyedClient();
        var sw = System.Diagnostics.Stopwatch.StartNew();
        JsonElement s;
        do
        {
            s = await c.GetFromJsonAsync<JsonElement>("/api/controller/state");
            if (s.GetProperty("state").ValueKind == JsonValueKind.String && s.GetProperty("state").GetString() == "Ready"
                && s.GetProperty("loop").ValueKind == JsonValueKind.Object)
            {
                break;
            }

            await Task.Delay(200);
        }
        while (sw.Elapsed < TimeSpan.FromSeconds(40));

        Assert.True(s.GetProperty("state").GetString() == "Ready", s.ToString());
        Assert.Equal("sim", s.GetProperty("mode").GetString());
        Assert.True(s.GetProperty("connected").GetBoolean());
        Assert.True(s.GetProperty("loop").GetProperty("cycles").GetInt64() > 100);
        Assert.True(s.GetProperty("loop").TryGetProperty("jitterP99Us", out _));
        Assert.Contains(s.GetProperty("states").EnumerateArray(), x => x.GetString() == "EStop");
        Assert.Equal(MeTAI.Robotics.Safety.InterlockCatalog.All.Count, s.GetProperty("interlockCatalog").GetArrayLength());
    }

    [Fact]
    public async Task Events_WithSimRig_StreamStatusThenTelemetry()
    {
        HttpClient c = _f.Sim.KeyedClient();
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(40));
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/controller/events");
        using HttpResponseMessage r = await c.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cts.Token);
        Assert.Equal(HttpStatusCode.OK, r.StatusCode);
        Assert.Equal("text/event-stream", r.Content.Headers.ContentType?.MediaType);
        using var reader = new StreamReader(await r.Content.ReadAsStreamAsync(cts.Token));
        var events = new List<string>();
        string? eventName = null;
        while (events.Count(e => e == "telemetry") < 3)
        {
            string? line = await reader.ReadLineAsync(cts.Token);
            Assert.NotNull(line);
            if (line.StartsWith("event: ", StringComparison.Ordinal))
            {
                eventName = line["event: ".Length..];
            }
            else if (line.StartsWith("data: ", StringComparison.Ordinal))
            {
                using JsonDocument data = JsonDocument.Parse(line["data: ".Length..]);
                if (eventName == "telemetry")
                {
                    Assert.True(data.RootElement.TryGetProperty("loop", out _));
                }

                events.Add(eventName!);
            }
        }

        Assert.Equal("status", events[0]);
    }

    [Fact]
    public async Task Events_WithoutKey_Answer401()
    {
        HttpResponseMessage r = await _f.Sim.CreateClient().GetAsync("/api/controller/events");
        Assert.Equal(HttpStatusCode.Unauthorized, r.StatusCode);
    }

    [Fact]
    public async Task State_WithoutController_SaysSo()
    {
        JsonElement s = await _f.None.KeyedClient().GetFromJsonAsync<JsonElement>("/api/controller/state");
        Assert.Equal("none", s.GetProperty("mode").GetString());
        Assert.False(s.GetProperty("connected").GetBoolean());
        Assert.Contains("No controller is configured", s.GetProperty("note").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task State_MqttMode_SaysWhyUntilTheBrokerRuns_ThenFollowsIt_AcrossARestart()
    {
        int port = EmbeddedBroker.FreeTcpPort();
        using var service = new ServiceFactory(null, settings: new Dictionary<string, string?>
        {
            ["Controller:Mode"] = "mqtt",
            ["Controller:Broker"] = $"mqtt://127.0.0.1:{port}",
            ["Controller:Password"] = "observer-pw",
        });
        HttpClient c = service.KeyedClient();
        await StateUntil(c, s => !s.GetProperty("connected").GetBoolean()
            && s.GetProperty("note").GetString() is { } note && note.Contains("Cannot reach the controller's broker", StringComparison.Ordinal), "the reason in the note");

        await using var broker = new EmbeddedBroker(new EmbeddedBrokerOptions
        {
            Robot = "metai-arm6",
            Users = [MqttUser.Create("observer", MqttRole.Observer, "observer-pw"), MqttUser.Create("controller", MqttRole.Controller, "controller-pw")],
            Port = port,
        });
        await broker.StartAsync();
        var controller = new MqttEndpoint { Host = "127.0.0.1", Port = port, UserName = "controller", Password = "controller-pw" };
        await using (var publisher = new MqttConnection(new MqttConnectionOptions { Endpoint = controller }))
        {
            await publisher.ConnectAsync();
            await StateUntil(c, s => s.GetProperty("connected").GetBoolean() && s.GetProperty("state").GetString() == "Ready"
                && s.GetProperty("note").ValueKind == JsonValueKind.Null, "connected, following the state", () => PublishState(publisher, "Ready"));
        }

        await broker.StopAsync();
        await StateUntil(c, s => !s.GetProperty("connected").GetBoolean(), "the loss seen");
        await broker.StartAsync();
        await using (var publisher = new MqttConnection(new MqttConnectionOptions { Endpoint = controller }))
        {
            await publisher.ConnectAsync();

            // A fresh broker knows no subscription: the state arrives only because the monitor subscribed again.
            await StateUntil(c, s => s.GetProperty("state").GetString() == "Paused", "reconnected and subscribed again", () => PublishState(publisher, "Paused"));
        }
    }

    private static void PublishState(MqttConnection publisher, string state) =>
        publisher.Publish(new MqttTopics("metai-arm6").State, Encoding.UTF8.GetBytes($"{{\"state\":\"{state}\",\"cycle\":1}}"), reliable: true);

    // Polls the state endpoint until `condition` holds, doing `each` before every look (a publisher repeats its message
    // until the monitor's subscription is in place).
    private static async Task StateUntil(HttpClient c, Func<JsonElement, bool> condition, string what, Action? each = null)
    {
        var sw = System.Diagnostics.Stopwatch.StartNew();
        JsonElement s;
        do
        {
            each?.Invoke();
            s = await c.GetFromJsonAsync<JsonElement>("/api/controller/state");
            if (condition(s))
            {
                return;
            }

            await Task.Delay(100);
        }
        while (sw.Elapsed < TimeSpan.FromSeconds(30));

        Assert.Fail($"waited 30 s for {what}: {s}");
    }
}
