using System.Collections.Concurrent;
using System.Net.ServerSentEvents;
using System.Text;
using System.Text.Json;
using System.Threading.Channels;
using MeTAI.Core.IO;
using MeTAI.Robotics.Control;
using MeTAI.Robotics.Kinematics;
using MeTAI.Robotics.Safety;
using MeTAI.Robotics.Transport;
using MeTAI.Simulation;
using Microsoft.Extensions.Options;
using MQTTnet.Packets;
using MQTTnet.Protocol;

namespace MeTAI.Service.Controller;

/// <summary>
/// Follows a controller over MQTT as an observer (state, interlocks, telemetry topics; docs/mqtt-topics.md), keeps the
/// latest of each and fans them out to server-sent-event subscribers; in <c>mqtt</c> mode it keeps trying to reach the
/// broker every 2 s and reconnects after a loss (<see cref="MqttConnection"/>). In <c>sim</c> mode it first starts a
/// simulated rig (<see cref="SimulatedRig"/>) and observes that, over the same MQTT path.
/// </summary>
public sealed partial class ControllerMonitor(IOptions<ControllerMonitorOptions> options, ILogger<ControllerMonitor> logger, TimeProvider time)
    : IHostedService, IAsyncDisposable
{
    private readonly ConcurrentDictionary<Channel<SseItem<string>>, bool> _subscribers = new();
    private readonly Lock _gate = new();
    private readonly CancellationTokenSource _stop = new();
    private SimulatedRig? _rig;
    private MqttConnection? _connection;
    private MqttTopics? _topics;
    private string? _state;
    private string[] _interlocks = [];
    private long? _cycle;
    private JsonElement? _loop;
    private JsonElement? _bus;
    private DateTime? _lastMessageUtc;
    private string? _note;
    private Task? _background;
    private int _stopped;

    /// <summary>The mode in use (none, sim, mqtt).</summary>
    public string Mode { get; } = options.Value.Mode.Trim().ToLowerInvariant();

    /// <summary>The simulated rig in sim mode (tests inject faults through it), else null.</summary>
    public SimulatedRig? Rig => _rig;

    /// <summary>The robot's topics (null in none mode or before start).</summary>
    public MqttTopics? Topics => _topics;

    /// <summary>
    /// Where the controller's broker listens (host, port, TLS): the simulated rig's embedded broker in sim mode,
    /// <c>Controller:Broker</c> in mqtt mode; null in none mode or before start. The console's relay connects there.
    /// </summary>
    public (string Host, int Port, bool Tls)? BrokerAddress { get; private set; }

    /// <summary>The service's own account on the controller's broker in mqtt mode (<c>Controller:User</c>); null otherwise.</summary>
    public MqttEndpoint? BrokerEndpoint { get; private set; }

    /// <inheritdoc />
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        ControllerMonitorOptions o = options.Value;
        switch (Mode)
        {
            case "none":
                _note = "No controller is configured (start the service with --controller sim, or Controller:Mode=mqtt and Controller:Broker).";
                LogNoController(logger);
                return;
            case "sim":
                RobotModel robot = RobotConfigJson.Load(o.RobotFile ?? ConfigFiles.PathOf("robots", "metai-arm6.json"));
                // With a console key the browser console is the rig's master (master1): no master twin is started, and a
                // corridor (20 mm radius along the tool's axis through its home tip) gives the console a restoring force to show.
                byte[]? teleopKey = o.TeleopKeyFile is null ? null : MasterTokenKey.LoadOrCreate(o.TeleopKeyFile);
                _rig = await SimulatedRig.StartAsync(SimRigOptions(robot) with
                {
                    ExternalMaster = teleopKey is not null,
                    MasterTokenKey = teleopKey,
                    Corridor = teleopKey is null ? null : SimulatedRig.CorridorAroundHome(robot, radiusMm: SimCorridorRadiusMm),
                }, cancellationToken).ConfigureAwait(false);
                _topics = new MqttTopics(robot.Name);
                BrokerAddress = (_rig.BrokerHost, _rig.BrokerPort, false);
                _connection = Observe(_rig.Endpoint("observer"));
                await _connection.ConnectAsync(cancellationToken).ConfigureAwait(false);
                LogSimStarted(logger, robot.Name, _rig.BrokerPort);
                if (o.SimBringUp)
                {
                    _background = Task.Run(() => teleopKey is null ? BringUpAsync(_stop.Token) : SimOperatorAsync(_stop.Token), CancellationToken.None);
                }

                return;
            case "mqtt":
                string password = o.Password ?? Environment.GetEnvironmentVariable("METAI_MQTT_PASSWORD") ?? string.Empty;
                MqttEndpoint endpoint = MqttEndpoint.Parse(o.Broker ?? throw new InvalidOperationException("Controller:Mode=mqtt needs Controller:Broker (mqtt://host:port)."), o.User, password);
                _topics = new MqttTopics(o.Robot);
                BrokerAddress = (endpoint.Host, endpoint.Port, endpoint.UseTls);
                BrokerEndpoint = endpoint;
                _connection = Observe(endpoint);
                _connection.KeepConnected();
                return;
            default:
                throw new InvalidOperationException($"Controller:Mode '{o.Mode}' is not none, sim or mqtt.");
        }
    }

    /// <summary>Radius of the simulated rig's corridor when the console drives it (mm).</summary>
    public const double SimCorridorRadiusMm = 20;

    /// <summary>The simulated rig's settings: <see cref="SimulatedRigOptions.ForSharedMachine"/>; the sim is for the web interface, not for timing evidence.</summary>
    public static SimulatedRigOptions SimRigOptions(RobotModel robot) => SimulatedRigOptions.ForSharedMachine(robot);

    // Enable → Home → Ready, recovering after a hold or fault on the way (load on a shared machine).
    private async Task BringUpAsync(CancellationToken ct)
    {
        try
        {
            await _rig!.ReadyWithRetriesAsync(cancellationToken: ct).ConfigureAwait(false);
        }
        catch (TimeoutException ex)
        {
            LogBringUpFailed(logger, ex);
        }
        catch (OperationCanceledException)
        {
            // Stopping.
        }
    }

    // Sim with the console: the service plays the operator at the arm. While the console's master is live and nothing
    // holds, Enable → Home → StartTeleop, and Resume after a hold (the deadman let go) once it is held again; an
    // acknowledged Reset after a fault (load on a shared machine trips the sim's servo timeouts) or an e-stop once no
    // e-stop or fault interlock is active any more (the console published "released").
    private async Task SimOperatorAsync(CancellationToken ct)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromMilliseconds(250));
        try
        {
            while (await timer.WaitForNextTickAsync(ct).ConfigureAwait(false))
            {
                Robotics.Hosting.ControllerHost c = _rig!.Controller;
                Interlocks active = c.Core.LastInterlocks;
                ControllerCommandKind? next = c.State switch
                {
                    SafetyState.Disabled when (active & ~InterlockCatalog.HoldClass) == Interlocks.None && (active & Interlocks.HapticHeartbeat) == 0 => ControllerCommandKind.Enable,
                    SafetyState.Enabled when active == Interlocks.None => ControllerCommandKind.Home,
                    SafetyState.Ready when active == Interlocks.None => ControllerCommandKind.StartTeleop,
                    SafetyState.Paused when active == Interlocks.None => ControllerCommandKind.Resume,
                    SafetyState.Fault or SafetyState.EStop when (active & ~InterlockCatalog.HoldClass) == Interlocks.None => ControllerCommandKind.Reset,
                    _ => null,
                };
                if (next is { } command)
                {
                    c.Command(command, acknowledge: command == ControllerCommandKind.Reset);
                }
            }
        }
        catch (OperationCanceledException)
        {
            // Stopping.
        }
    }

    // The observer's connection: state, interlocks and telemetry; every loss pushes a status event (connected: false),
    // and in mqtt mode every failed try says why in the snapshot's note.
    private MqttConnection Observe(MqttEndpoint endpoint) => new(new MqttConnectionOptions
    {
        Endpoint = endpoint,
        Subscriptions =
        [
            new MqttTopicFilter { Topic = _topics!.State, QualityOfServiceLevel = MqttQualityOfServiceLevel.AtLeastOnce },
            new MqttTopicFilter { Topic = _topics.Interlocks, QualityOfServiceLevel = MqttQualityOfServiceLevel.AtLeastOnce },
            new MqttTopicFilter { Topic = _topics.Telemetry, QualityOfServiceLevel = MqttQualityOfServiceLevel.AtMostOnce },
        ],
        ReconnectDelay = TimeSpan.FromSeconds(2),
        OnMessage = OnMessage,
        OnConnected = () =>
        {
            _note = null;
            LogConnected(logger, endpoint);
        },
        OnDisconnected = () => Broadcast("status", JsonSerializer.Serialize(Snapshot(), Jobs.PlanJobs.Json)),
        OnConnectFailed = ex =>
        {
            _note = $"Cannot reach the controller's broker at {endpoint}: {ex.Message}";
            LogConnectFailed(logger, endpoint, ex.Message);
        },
    });

    private void OnMessage(string topic, ReadOnlySpan<byte> payload)
    {
        string json = Encoding.UTF8.GetString(payload);
        string kind;
        try
        {
            using JsonDocument doc = JsonDocument.Parse(json);
            JsonElement root = doc.RootElement;
            lock (_gate)
            {
                _lastMessageUtc = time.GetUtcNow().UtcDateTime;
                if (root.TryGetProperty("cycle", out JsonElement c) && c.TryGetInt64(out long cycle))
                {
                    _cycle = cycle;
                }

                if (root.TryGetProperty("state", out JsonElement s))
                {
                    _state = s.GetString();
                }

                if (topic == _topics!.Interlocks && root.TryGetProperty("active", out JsonElement active))
                {
                    _interlocks = SplitFlags(active.GetString());
                }
                else if (root.TryGetProperty("interlocks", out JsonElement il))
                {
                    _interlocks = SplitFlags(il.GetString());
                }

                if (root.TryGetProperty("loop", out JsonElement loop))
                {
                    _loop = loop.Clone();
                }

                if (root.TryGetProperty("bus", out JsonElement bus))
                {
                    _bus = bus.Clone();
                }
            }

            kind = topic == _topics.State ? "state" : topic == _topics.Interlocks ? "interlocks" : "telemetry";
        }
        catch (JsonException)
        {
            return; // not ours to repair; the controller publishes valid JSON
        }

        Broadcast(kind, json);
    }

    private static string[] SplitFlags(string? text) =>
        string.IsNullOrWhiteSpace(text) || text == "None" ? [] : text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    private void Broadcast(string kind, string json)
    {
        var item = new SseItem<string>(json, kind);
        foreach (Channel<SseItem<string>> ch in _subscribers.Keys)
        {
            ch.Writer.TryWrite(item);
        }
    }

    /// <summary>The latest view.</summary>
    public ControllerStatus Snapshot()
    {
        lock (_gate)
        {
            return new ControllerStatus
            {
                Mode = Mode,
                Connected = _connection?.IsConnected ?? false,
                Robot = _topics?.Robot,
                State = _state,
                Interlocks = _interlocks,
                Cycle = _cycle,
                Loop = _loop,
                Bus = _bus,
                LastMessageUtc = _lastMessageUtc,
                Note = _note,
                States = Enum.GetNames<SafetyState>(),
                InterlockCatalog = [.. InterlockCatalog.All.Select(i => new InterlockInfo(i.ToString(), InterlockCatalog.ReactionOf(i).ToString()))],
            };
        }
    }

    /// <summary>
    /// <see cref="EventsAsync(CancellationToken)"/> until either token fires: the request's (the client went) or the
    /// host's stopping token (the service is shutting down, so the stream ends and the response completes).
    /// </summary>
    public async IAsyncEnumerable<SseItem<string>> EventsAsync([System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken requestAborted, CancellationToken serviceStopping)
    {
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(requestAborted, serviceStopping);
        await foreach (SseItem<string> item in EventsAsync(linked.Token).ConfigureAwait(false))
        {
            yield return item;
        }
    }

    /// <summary>
    /// Server-sent events until <paramref name="cancellationToken"/>: first a <c>status</c> event (the snapshot), then
    /// <c>state</c>, <c>interlocks</c> and <c>telemetry</c> events with the controller's JSON payloads as they arrive
    /// (a slow reader loses the oldest telemetry, never blocks the monitor).
    /// </summary>
    public async IAsyncEnumerable<SseItem<string>> EventsAsync([System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var channel = Channel.CreateBounded<SseItem<string>>(new BoundedChannelOptions(64) { FullMode = BoundedChannelFullMode.DropOldest, SingleReader = true });
        _subscribers[channel] = true;
        try
        {
            yield return new SseItem<string>(JsonSerializer.Serialize(Snapshot(), Jobs.PlanJobs.Json), "status");
            while (true)
            {
                SseItem<string> item;
                try
                {
                    item = await channel.Reader.ReadAsync(cancellationToken).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    yield break;
                }

                yield return item;
            }
        }
        finally
        {
            _subscribers.TryRemove(channel, out _);
        }
    }

    /// <inheritdoc />
    public async Task StopAsync(CancellationToken cancellationToken)
    {
        // Stop once: the host stops it as a hosted service and the container disposes it (twice, as itself and as the
        // hosted service), possibly while the first stop is still awaiting.
        if (Interlocked.Exchange(ref _stopped, 1) != 0)
        {
            return;
        }

        await _stop.CancelAsync().ConfigureAwait(false);
        if (_background is not null)
        {
            await _background.ConfigureAwait(false);
        }

        if (Interlocked.Exchange(ref _connection, null) is { } connection)
        {
            await connection.DisposeAsync().ConfigureAwait(false);
        }

        if (Interlocked.Exchange(ref _rig, null) is { } rig)
        {
            await rig.DisposeAsync().ConfigureAwait(false);
        }
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync() => await StopAsync(CancellationToken.None).ConfigureAwait(false);

    [LoggerMessage(Level = LogLevel.Information, Message = "No controller configured; the controller page shows none (use --controller sim or Controller:Mode=mqtt)")]
    private static partial void LogNoController(ILogger logger);

    [LoggerMessage(Level = LogLevel.Information, Message = "Simulated controller rig for {Robot} started (embedded broker on 127.0.0.1:{Port})")]
    private static partial void LogSimStarted(ILogger logger, string robot, int port);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Simulated rig did not reach Ready; retrying")]
    private static partial void LogBringUpFailed(ILogger logger, Exception ex);

    [LoggerMessage(Level = LogLevel.Information, Message = "Following the controller on {Broker}")]
    private static partial void LogConnected(ILogger logger, MqttEndpoint broker);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Cannot reach the controller's broker at {Broker}: {Reason}; retrying")]
    private static partial void LogConnectFailed(ILogger logger, MqttEndpoint broker, string reason);
}
