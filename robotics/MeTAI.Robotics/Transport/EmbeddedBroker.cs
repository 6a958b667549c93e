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
/// <para>
/// Control of a token master is held by one user at a time once someone announces who (<see cref="SetTokenHolderAsync"/>,
/// or an operator's retained JSON on <see cref="MqttTopics.TeleopHolder"/>: the service does this when control is taken
/// or handed over in a shared session). From then on only tokens issued to the holder are admitted for that master, a
/// connected client holding anyone else's token is disconnected, and its publishes are dropped from the moment of the
/// announcement, so a token handed out before a handover is worth nothing after it.
/// </para>
/// </summary>
public sealed class EmbeddedBroker : IAsyncDisposable
{
    private readonly EmbeddedBrokerOptions _options;
    private readonly Dictionary<string, MqttUser> _users;
    private readonly MqttAccessPolicy _policy;
    private readonly ConcurrentDictionary<string, MqttUser> _clientUsers = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, (string Master, string IssuedTo)> _tokenClients = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, TokenHolder> _tokenHolders = new(StringComparer.Ordinal);
    private readonly MqttTopics _topics;
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
        _topics = new MqttTopics(options.Robot);
        _policy = new MqttAccessPolicy(_topics);
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
            _tokenClients.Clear();
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
            _tokenClients.TryRemove(e.ClientId, out _);
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

            if (_tokenHolders.TryGetValue(e.UserName, out TokenHolder? holder) && holder.User != issuedTo)
            {
                return Refuse(e, MqttConnectReasonCode.NotAuthorized, holder.User is null
                    ? $"nobody holds control of master '{e.UserName}' now (the token was issued to '{issuedTo}')"
                    : $"control of master '{e.UserName}' is held by another user (the token was issued to '{issuedTo}')");
            }

            // The token's master: role Master under its own ID, so the ACL is every master's. No password is kept.
            user = new MqttUser { Name = e.UserName, Role = MqttRole.Master, PasswordHash = "token:" + issuedTo };
            _tokenClients[e.ClientId] = (e.UserName, issuedTo);
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

        if (!TryUser(e.ClientId, e.UserName, out MqttUser? user) || !_policy.MayPublish(user.Role, user.Name, e.ApplicationMessage.Topic)
            || !HoldsControl(e.ClientId))
        {
            Interlocked.Increment(ref _refusedPublishes);
            e.ProcessPublish = false;
            return Task.CompletedTask;
        }

        if (e.ApplicationMessage.Topic == _topics.TeleopHolder)
        {
            // An operator (the service) announces who holds control of a token master.
            if (!TeleopHolderMessage.TryParse(e.ApplicationMessage.Payload, out string master, out string? holder))
            {
                Interlocked.Increment(ref _refusedPublishes);
                e.ProcessPublish = false;
                _options.Log?.Invoke($"dropped a malformed {_topics.TeleopHolder} message from '{e.ClientId}'");
                return Task.CompletedTask;
            }

            // Applied now (the next publish of a stale token is dropped); the disconnects run outside the broker's
            // message handling.
            ApplyTokenHolder(master, holder);
            _ = Task.Run(() => DisconnectStaleTokenClientsAsync(master, holder));
        }

        return Task.CompletedTask;
    }

    // False for a token client whose master's control is now held by someone else (or nobody): its publishes stop at
    // the announcement, before its connection is closed.
    private bool HoldsControl(string clientId) =>
        !_tokenClients.TryGetValue(clientId, out (string Master, string IssuedTo) t)
        || !_tokenHolders.TryGetValue(t.Master, out TokenHolder? holder)
        || holder.User == t.IssuedTo;

    /// <summary>
    /// Who holds control of token master <paramref name="masterId"/>: only tokens issued to <paramref name="user"/>
    /// (null: to nobody) are admitted for it from now on, and connected clients with anyone else's token for it are
    /// disconnected (their publishes are dropped from this call on).
    /// </summary>
    public async Task SetTokenHolderAsync(string masterId, string? user)
    {
        if (!MasterToken.IsValidMasterId(masterId))
        {
            throw new ArgumentException($"Master ID '{masterId}' is not 1-64 letters, digits, '-', '_' or '.'.", nameof(masterId));
        }

        ApplyTokenHolder(masterId, user);
        await DisconnectStaleTokenClientsAsync(masterId, user).ConfigureAwait(false);
    }

    private void ApplyTokenHolder(string masterId, string? user)
    {
        _tokenHolders[masterId] = new TokenHolder(user);
        _options.Log?.Invoke(user is null ? $"nobody holds control of master '{masterId}' now" : $"control of master '{masterId}' is held by '{user}'");
    }

    private async Task DisconnectStaleTokenClientsAsync(string masterId, string? user)
    {
        if (_server is not { IsStarted: true } server)
        {
            return;
        }

        try
        {
            foreach (MqttClientStatus client in await server.GetClientsAsync().ConfigureAwait(false))
            {
                if (_tokenClients.TryGetValue(client.Id, out (string Master, string IssuedTo) t) && t.Master == masterId && t.IssuedTo != user)
                {
                    _options.Log?.Invoke($"disconnecting client '{client.Id}': its token for master '{masterId}' was issued to '{t.IssuedTo}', who does not hold control");
                    await client.DisconnectAsync(new MqttServerClientDisconnectOptions
                    {
                        ReasonCode = MqttDisconnectReasonCode.NotAuthorized,
                        ReasonString = "control was handed over",
                    }).ConfigureAwait(false);
                }
            }
        }
        catch (Exception ex) when (ex is ObjectDisposedException or InvalidOperationException or IOException)
        {
            // The broker is stopping; its clients go anyway. Their publishes are dropped already (HoldsControl).
            _options.Log?.Invoke($"could not disconnect stale token clients of master '{masterId}': {ex.Message}");
        }
    }

    /// <summary>Who holds control of token master <paramref name="masterId"/>: (false, _) while nobody announced it (any valid token is admitted).</summary>
    public (bool Announced, string? User) TokenHolderOf(string masterId) =>
        _tokenHolders.TryGetValue(masterId, out TokenHolder? h) ? (true, h.User) : (false, null);

    private sealed record TokenHolder(string? User);

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
