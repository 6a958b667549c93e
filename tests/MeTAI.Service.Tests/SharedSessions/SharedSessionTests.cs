using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using MeTAI.Robotics.Transport;
using MeTAI.Service.Users;
using MQTTnet;

namespace MeTAI.Service.Tests.SharedSessions;

/// <summary>
/// Shared sessions over HTTP (issue 20, part 5): joining by role, pointers and annotations reaching everyone's stream,
/// and control — taken, handed over and taken over only by the rules, audited, and enforced where it counts: the
/// former holder's console token is refused by the controller's real broker (and by the service's relay) after a
/// handover, and a participant who was never given control gets no credential at all.
/// </summary>
public sealed class SharedSessionTests : IDisposable
{
    private const string Master = "console1";
    private static readonly double[] PointerAt = [12.5, -40.0, 80.25];
    private static readonly double[] NoteAt = [14.0, -38.5, 79.0];
    private static readonly double[] TooFar = [0.0, 0.0, 99999.0];
    private readonly string _dir = ServiceFactory.NewDataDirectory();

    private string KeyFile => Path.Combine(_dir, "teleop.key");

    // The service follows a controller's broker as an operator (it announces who holds control), with the console key.
    private Dictionary<string, string?> Settings(int brokerPort) => new()
    {
        ["Controller:Mode"] = "mqtt",
        ["Controller:Broker"] = $"mqtt://127.0.0.1:{brokerPort}",
        ["Controller:User"] = "operator",
        ["Controller:Password"] = "operator-pw",
        ["Controller:TeleopKeyFile"] = KeyFile,
        ["Controller:TeleopMaster"] = Master,
    };

    private async Task<EmbeddedBroker> StartBroker()
    {
        var broker = new EmbeddedBroker(new EmbeddedBrokerOptions
        {
            Robot = "metai-arm6",
            Users = [MqttUser.Create("operator", MqttRole.Operator, "operator-pw"), MqttUser.Create("controller", MqttRole.Controller, "controller-pw")],
            MasterTokenKey = MasterTokenKey.LoadOrCreate(KeyFile),
        });
        await broker.StartAsync();
        return broker;
    }

    [Fact]
    public async Task Join_ByRole_OnlyWithTheRehearsalPermission_AndObserversSeePointersAndAnnotations()
    {
        using var service = new ServiceFactory(null);
        HttpClient surgeon = service.UserClient("sam", Role.Surgeon);
        HttpClient physician = service.UserClient("phil", Role.Physician);
        HttpClient engineer = service.UserClient("eng", Role.Engineer);

        string id = await Open(surgeon, "surgeon");
        Assert.Equal(HttpStatusCode.Forbidden, (await engineer.PostAsJsonAsync($"/api/shared-sessions/{id}/join", new { @as = "observer" })).StatusCode);
        HttpResponseMessage bad = await physician.PostAsJsonAsync($"/api/shared-sessions/{id}/join", new { @as = "spectator" });
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        Assert.Contains("'as'", await bad.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, (await physician.PostAsJsonAsync($"/api/shared-sessions/{id}/join", new { @as = "observer" })).StatusCode);

        // The observer's stream: the snapshot first, then what the surgeon does.
        using var events = await SessionEvents.OpenAsync(physician, id);
        JsonElement snapshot = await events.NextAsync("snapshot");
        Assert.Equal(2, snapshot.GetProperty("participants").GetArrayLength());

        Assert.Equal(HttpStatusCode.NoContent, (await surgeon.PostAsJsonAsync($"/api/shared-sessions/{id}/pointer", new { position = PointerAt })).StatusCode);
        JsonElement pointer = await events.NextAsync("pointer");
        Assert.Equal("sam", pointer.GetProperty("user").GetString());
        Assert.Equal(80.25, pointer.GetProperty("position")[2].GetDouble(), 12);

        HttpResponseMessage annotated = await surgeon.PostAsJsonAsync($"/api/shared-sessions/{id}/annotations", new { position = NoteAt, text = "portal vein: keep 5 mm" });
        Assert.Equal(HttpStatusCode.Created, annotated.StatusCode);
        JsonElement added = (await events.NextAsync("annotation")).GetProperty("added");
        Assert.Equal("portal vein: keep 5 mm", added.GetProperty("text").GetString());

        HttpResponseMessage far = await surgeon.PostAsJsonAsync($"/api/shared-sessions/{id}/pointer", new { position = TooFar });
        Assert.Equal(HttpStatusCode.BadRequest, far.StatusCode);
        Assert.Contains("'position'", await far.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        HttpResponseMessage observerDrives = await physician.PostAsJsonAsync($"/api/shared-sessions/{id}/replay", new { frame = 3, playing = true });
        Assert.Equal(HttpStatusCode.Forbidden, observerDrives.StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, (await surgeon.PostAsJsonAsync($"/api/shared-sessions/{id}/replay", new { frame = 3, playing = true })).StatusCode);
        Assert.Equal(3, (await events.NextAsync("replay")).GetProperty("frame").GetInt32());
    }

    [Fact]
    public async Task Control_OnlyByTheRules_Audited_AndTheFormerHoldersTokenIsRefusedByTheBroker()
    {
        await using EmbeddedBroker broker = await StartBroker();
        using var service = new ServiceFactory(null, settings: Settings(broker.Port));
        HttpClient a = service.UserClient("dr.a", Role.Surgeon);
        HttpClient b = service.UserClient("dr.b", Role.Surgeon);
        HttpClient phil = service.UserClient("phil", Role.Physician);
        string id = await Open(a, "surgeon");
        Assert.Equal(HttpStatusCode.OK, (await b.PostAsJsonAsync($"/api/shared-sessions/{id}/join", new { @as = "assistant" })).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await phil.PostAsJsonAsync($"/api/shared-sessions/{id}/join", new { @as = "assistant" })).StatusCode);

        // A physician may join as assistant but never hold control (no teleop.operate); nobody holds it yet.
        HttpResponseMessage philTakes = await phil.PostAsJsonAsync($"/api/shared-sessions/{id}/control", new { action = "take" });
        Assert.Equal(HttpStatusCode.Forbidden, philTakes.StatusCode);
        Assert.Contains("teleop.operate", await philTakes.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        // dr.a takes control and gets a console credential; dr.b gets none while dr.a holds it.
        Assert.Equal(HttpStatusCode.OK, (await a.PostAsJsonAsync($"/api/shared-sessions/{id}/control", new { action = "take" })).StatusCode);
        Assert.Equal((true, "dr.a"), broker.TokenHolderOf(Master));
        string tokenA = await Credential(a);
        HttpResponseMessage bAsks = await b.PostAsync("/api/teleop/credential", null);
        Assert.Equal(HttpStatusCode.Conflict, bAsks.StatusCode);
        Assert.Contains("held by 'dr.a'", await bAsks.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        HttpResponseMessage bTakes = await b.PostAsJsonAsync($"/api/shared-sessions/{id}/control", new { action = "take" });
        Assert.Equal(HttpStatusCode.Conflict, bTakes.StatusCode);

        // dr.a's console is connected to the controller's broker with its token.
        await using var consoleA = new MqttConnection(new MqttConnectionOptions { Endpoint = Local(broker.Port, tokenA) });
        await consoleA.ConnectAsync();
        Assert.True(consoleA.IsConnected);

        // Handover to dr.b: the broker cuts dr.a's console off and refuses its token from now on; dr.b gets a credential.
        HttpResponseMessage handover = await a.PostAsJsonAsync($"/api/shared-sessions/{id}/control", new { action = "handover", to = "dr.b" });
        Assert.Equal(HttpStatusCode.OK, handover.StatusCode);
        Assert.Equal("dr.b", (await handover.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("control").GetProperty("holder").GetString());
        Assert.Equal((true, "dr.b"), broker.TokenHolderOf(Master));
        var sw = System.Diagnostics.Stopwatch.StartNew();
        while (consoleA.IsConnected && sw.Elapsed < TimeSpan.FromSeconds(10))
        {
            await Task.Delay(20);
        }

        Assert.False(consoleA.IsConnected, "the former holder's console is disconnected");
        Assert.Equal(MqttClientConnectResultCode.NotAuthorized, await ConnectResult(broker.Port, tokenA));
        Assert.Contains("held by another user", broker.LastRefusal, StringComparison.Ordinal);
        string tokenB = await Credential(b);
        Assert.Equal(MqttClientConnectResultCode.Success, await ConnectResult(broker.Port, tokenB));

        // Observers and non-instructors cannot take control over; handing to an observer is refused.
        HttpResponseMessage aTakesOver = await a.PostAsJsonAsync($"/api/shared-sessions/{id}/control", new { action = "takeover" });
        Assert.Equal(HttpStatusCode.Forbidden, aTakesOver.StatusCode);

        // The audit log has every change, with who gave control to whom.
        HttpClient admin = service.UserClient("ada", Role.Admin);
        JsonElement audit = await admin.GetFromJsonAsync<JsonElement>("/api/audit?kind=teleopControl");
        var actions = audit.EnumerateArray().Select(r => (Action: r.GetProperty("action").GetString(), From: r.GetProperty("from").GetString(), To: r.GetProperty("to").GetString())).ToList();
        Assert.Contains(("take", "", "dr.a"), actions);
        Assert.Contains(("handover", "dr.a", "dr.b"), actions);
    }

    [Fact]
    public async Task Instructor_TakesControlOver_AndLeavingReleasesIt()
    {
        await using EmbeddedBroker broker = await StartBroker();
        using var service = new ServiceFactory(null, settings: Settings(broker.Port));
        HttpClient teacher = service.UserClient("prof", Role.Surgeon);
        HttpClient trainee = service.UserClient("trainee", Role.Surgeon);
        string id = await Open(teacher, "instructor");
        Assert.Equal(HttpStatusCode.OK, (await trainee.PostAsJsonAsync($"/api/shared-sessions/{id}/join", new { @as = "surgeon" })).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await trainee.PostAsJsonAsync($"/api/shared-sessions/{id}/control", new { action = "take" })).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await teacher.PostAsJsonAsync($"/api/shared-sessions/{id}/control", new { action = "takeover" })).StatusCode);
        Assert.Equal((true, "prof"), broker.TokenHolderOf(Master));

        Assert.Equal(HttpStatusCode.NoContent, (await teacher.PostAsync($"/api/shared-sessions/{id}/leave", null)).StatusCode);
        Assert.Equal((true, (string?)null), broker.TokenHolderOf(Master));
        JsonElement view = await trainee.GetFromJsonAsync<JsonElement>($"/api/shared-sessions/{id}");
        Assert.Equal(JsonValueKind.Null, view.GetProperty("control").GetProperty("holder").ValueKind);
    }

    [Fact]
    public async Task Handover_WhenTheBrokerCannotBeTold_IsRefused_ControlStays()
    {
        // The service's broker account is an observer: it cannot announce, so the former holder's live token could
        // not be revoked — the handover must not happen.
        await using EmbeddedBroker broker = new(new EmbeddedBrokerOptions
        {
            Robot = "metai-arm6",
            Users = [MqttUser.Create("observer", MqttRole.Observer, "observer-pw")],
            MasterTokenKey = MasterTokenKey.LoadOrCreate(KeyFile),
        });
        await broker.StartAsync();
        Dictionary<string, string?> settings = Settings(broker.Port);
        settings["Controller:User"] = "observer";
        settings["Controller:Password"] = "observer-pw";
        using var service = new ServiceFactory(null, settings: settings);
        HttpClient a = service.UserClient("dr.a", Role.Surgeon);
        HttpClient b = service.UserClient("dr.b", Role.Surgeon);
        string id = await Open(a, "surgeon");
        Assert.Equal(HttpStatusCode.OK, (await b.PostAsJsonAsync($"/api/shared-sessions/{id}/join", new { @as = "surgeon" })).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await a.PostAsJsonAsync($"/api/shared-sessions/{id}/control", new { action = "take" })).StatusCode);
        await Credential(a);

        HttpResponseMessage handover = await a.PostAsJsonAsync($"/api/shared-sessions/{id}/control", new { action = "handover", to = "dr.b" });
        Assert.Equal(HttpStatusCode.ServiceUnavailable, handover.StatusCode);
        string why = await handover.Content.ReadAsStringAsync();
        Assert.Contains("operator account", why, StringComparison.Ordinal);
        Assert.Contains("'dr.a'", why, StringComparison.Ordinal);
        JsonElement view = await a.GetFromJsonAsync<JsonElement>($"/api/shared-sessions/{id}");
        Assert.Equal("dr.a", view.GetProperty("control").GetProperty("holder").GetString());
    }

    private static async Task<string> Open(HttpClient c, string role)
    {
        HttpResponseMessage r = await c.PostAsJsonAsync("/api/shared-sessions", new { title = "Liver needle rehearsal", @as = role });
        Assert.True(r.StatusCode == HttpStatusCode.Created, await r.Content.ReadAsStringAsync());
        return (await r.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString()!;
    }

    private static async Task<string> Credential(HttpClient c)
    {
        HttpResponseMessage r = await c.PostAsync("/api/teleop/credential", null);
        string text = await r.Content.ReadAsStringAsync();
        Assert.True(r.StatusCode == HttpStatusCode.OK, text);
        using JsonDocument doc = JsonDocument.Parse(text);
        return doc.RootElement.GetProperty("password").GetString()!;
    }

    private static async Task<MqttClientConnectResultCode> ConnectResult(int port, string token)
    {
        using IMqttClient client = new MqttClientFactory().CreateMqttClient();
        MqttClientConnectResult result = await client.ConnectAsync(MqttClientOptionsFactory.Create(Local(port, token)));
        return result.ResultCode;
    }

    private static MqttEndpoint Local(int port, string token) => new() { Host = "127.0.0.1", Port = port, UserName = Master, Password = token };

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
