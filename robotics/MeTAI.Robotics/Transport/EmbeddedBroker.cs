using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using MQTTnet.Protocol;
using MQTTnet.Server;

namespace MeTAI.Robotics.Transport;

/// <summary>
/// The default broker: MQTTnet.Server on 127.0.0.1 with user/password authentication (anonymous clients refused)
/// and the per-topic ACL of <see cref="MqttAccessPolicy"/> — only the controller may publish state or servo commands,
/// only a registered master may publish its own pose. With <see cref="EmbeddedBrokerOptions.MasterTokenKey"/> a client may
/// also connect as a master with a short-lived <see cref="MasterToken"/> for its user name as password (the service's
/// browser console). Refused connections, publishes and subscriptions are counted; a refused connection's reason goes to
/// <see cref="EmbeddedBrokerOptions.Log"/> and <see cref="LastRefusal"/>.
/// </summary>
public sealed class EmbeddedBroker : IAsyncDisposable
{
    private readonly EmbeddedBrokerOptions _options;
    private readonly Dictionary<string, MqttUser> _users;
    private readonly MqttAccessPolicy _policy;
    private readonly ConcurrentDictionary<string, MqttUser> _clientUsers = new(StringComparer.Ordinal);
    private MqttServer? _server;
    private long _refusedConnections;
    private long _refusedPublishes;
    private long _refusedSubscriptions;
    private string? _lastRefusal;

    /// <summary>Creates the broker (not started).</summary>
    public EmbeddedBroker(EmbeddedBrokerOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        _options = options;
        _users = options.Users.ToDictionary(u => u.Name, StringComparer.Ordinal);
        _policy = new MqttAccessPolicy(new MqttTopics(options.Robot));
        Port = options.Port;
    }

    /// <summary>Port it listens on (known after start).</summary>
    public int Port { get; private set; }

    /// <summary>Connections refused (bad credentials, anonymous).</summary>
    public long RefusedConnections => Interlocked.Read(ref _refusedConnections);

    /// <summary>Publishes dropped by the ACL.</summary>
    public long RefusedPublishes => Interlocked.Read(ref _refusedPublishes);

    /// <summary>Subscriptions refused by the ACL.</summary>
    public long RefusedSubscriptions => Interlocked.Read(ref _refusedSubscriptions);

    /// <summary>Why the last connection was refused (null before any refusal).</summary>
    public string? LastRefusal => Volatile.Read(ref _lastRefusal);

    /// <summary>True while running.</summary>
    public bool IsRunning => _server?.IsStarted ?? false;

    /// <summary>Starts listening.</summary>
    public async Task StartAsync(CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        if (Port == 0)
        {
            Port = FreeTcpPort(_options.Address);
        }

        if (_server is not null)
        {
            // A restart (HIL broker-restart fault): the same port, a fresh server; forget the old one.
            await StopAsync(cancellationToken).ConfigureAwait(false);
            _server.Dispose();
            _server = null;
            _clientUsers.Clear();
        }

        var factory = new MqttServerFactory();
        MqttServerOptions serverOptions = factory.CreateServerOptionsBuilder()
            .WithDefaultEndpoint()
            .WithDefaultEndpointBoundIPAddress(_options.Address)
            .WithDefaultEndpointPort(Port)
            .Build();
        _server = factory.CreateMqttServer(serverOptions);
        _server.ValidatingConnectionAsync += OnValidatingConnection;
        _server.InterceptingPublishAsync += OnInterceptingPublish;
        _server.InterceptingSubscriptionAsync += OnInterceptingSubscription;
        _server.ClientDisconnectedAsync += e =>
        {
            _clientUsers.TryRemove(e.ClientId, out _);
            return Task.CompletedTask;
        };
        await _server.StartAsync().ConfigureAwait(false);
    }

    /// <summary>Stops the broker (clients see a disconnect: the controller holds).</summary>
    public async Task StopAsync(CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        if (_server is not null && _server.IsStarted)
        {
            await _server.StopAsync(new MqttServerStopOptions()).ConfigureAwait(false);
        }
    }

    private Task OnValidatingConnection(ValidatingConnectionEventArgs e)
    {
        if (string.IsNullOrEmpty(e.UserName))
        {
            return Refuse(e, MqttConnectReasonCode.NotAuthorized, "no user name (anonymous clients are refused)");
        }

        MqttUser? user;
        if (_options.MasterTokenKey is { } key && MasterToken.LooksLikeToken(e.Password))
        {
            if (!MasterToken.TryVerify(key, e.UserName, e.Password, _options.Time.GetUtcNow(), out string issuedTo, out string reason))
            {
                return Refuse(e, MqttConnectReasonCode.BadUserNameOrPassword, "master token refused: " + reason);
            }

            // The token's master: role Master under its own ID, so the ACL is every master's. No password is kept.
            user = new MqttUser { Name = e.UserName, Role = MqttRole.Master, PasswordHash = "token:" + issuedTo };
            _options.Log?.Invoke($"client '{e.ClientId}' connected as master '{e.UserName}' with a token issued to '{issuedTo}'");
        }
        else if (!_users.TryGetValue(e.UserName, out user) || !user.Verify(e.Password))
        {
            return Refuse(e, MqttConnectReasonCode.BadUserNameOrPassword,
                user is null ? "unknown user" + (MasterToken.LooksLikeToken(e.Password) ? " (a master token, but this broker has no --teleop-key)" : "") : "wrong password");
        }

        _clientUsers[e.ClientId] = user;
        e.ReasonCode = MqttConnectReasonCode.Success;
        return Task.CompletedTask;
    }

    private Task Refuse(ValidatingConnectionEventArgs e, MqttConnectReasonCode code, string reason)
    {
        Interlocked.Increment(ref _refusedConnections);
        string line = $"refused client '{e.ClientId}' user '{e.UserName}': {reason}";
        Volatile.Write(ref _lastRefusal, line);
        _options.Log?.Invoke(line);
        e.ReasonCode = code;
        e.ReasonString = reason; // MQTT 5 clients see it; 3.1.1 clients only the return code
        return Task.CompletedTask;
    }

    private Task OnInterceptingPublish(InterceptingPublishEventArgs e)
    {
        // Messages injected by the server itself have no client.
        if (string.IsNullOrEmpty(e.ClientId))
        {
            return Task.CompletedTask;
        }

        if (!TryUser(e.ClientId, e.UserName, out MqttUser? user) || !_policy.MayPublish(user.Role, user.Name, e.ApplicationMessage.Topic))
        {
            Interlocked.Increment(ref _refusedPublishes);
            e.ProcessPublish = false;
        }

        return Task.CompletedTask;
    }

    private Task OnInterceptingSubscription(InterceptingSubscriptionEventArgs e)
    {
        if (!TryUser(e.ClientId, e.UserName, out MqttUser? user) || !_policy.MaySubscribe(user.Role, user.Name, e.TopicFilter.Topic))
        {
            Interlocked.Increment(ref _refusedSubscriptions);
            e.ProcessSubscription = false;
            e.Response.ReasonCode = MqttSubscribeReasonCode.NotAuthorized;
        }

        return Task.CompletedTask;
    }

    private bool TryUser(string clientId, string? userName, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out MqttUser? user)
    {
        if (_clientUsers.TryGetValue(clientId, out user))
        {
            return true;
        }

        return userName is not null && _users.TryGetValue(userName, out user);
    }

    /// <summary>A free TCP port on <paramref name="address"/> (the OS picks it).</summary>
    public static int FreeTcpPort(IPAddress? address = null)
    {
        var listener = new TcpListener(address ?? IPAddress.Loopback, 0);
        listener.Start();
        int port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }

    /// <summary>Stops and disposes the server.</summary>
    public async ValueTask DisposeAsync()
    {
        if (_server is not null)
        {
            await StopAsync().ConfigureAwait(false);
            _server.Dispose();
            _server = null;
        }
    }
}
