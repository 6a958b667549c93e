using System.Buffers;
using MeTAI.Robotics.Transport;
using MeTAI.Service.Controller;
using MQTTnet.Packets;
using MQTTnet.Protocol;

namespace MeTAI.Service.Teleop;

/// <summary>
/// Tells the controller's broker who holds control of the console's master (<see cref="MqttTopics.TeleopHolder"/>), so
/// that the broker itself admits only that user's console tokens (<see cref="EmbeddedBroker.SetTokenHolderAsync"/>). In
/// <c>sim</c> mode it sets the rig's embedded broker directly; in <c>mqtt</c> mode it publishes the retained message with
/// the service's broker account (which must be an operator account) and counts it as told only when the broker echoes it
/// back on that topic (a refused publish or subscription never echoes, so an observer account fails, saying why).
/// </summary>
public sealed class TeleopHolderAnnouncer(ControllerMonitor monitor) : IAsyncDisposable
{
    /// <summary>How long an announcement waits for the broker's echo.</summary>
    public static readonly TimeSpan EchoTimeout = TimeSpan.FromSeconds(3);

    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly Lock _echoLock = new();
    private MqttConnection? _link;
    private (string Master, string? User)? _echo;
    private volatile Tuple<string, string?>? _confirmed;
    private TaskCompletionSource? _echoed;

    /// <summary>
    /// Announces that <paramref name="user"/> (null: nobody) holds control of <paramref name="masterId"/>; null when the
    /// broker has it, else why not.
    /// </summary>
    public async Task<string?> AnnounceAsync(string masterId, string? user, CancellationToken cancellationToken)
    {
        if (monitor.Rig?.Broker is { } broker)
        {
            await broker.SetTokenHolderAsync(masterId, user).ConfigureAwait(false);
            return null;
        }

        if (monitor.BrokerEndpoint is not { } endpoint || monitor.Topics is not { } topics)
        {
            return "no controller broker is configured";
        }

        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            MqttConnection link;
            try
            {
                link = await LinkAsync(endpoint, topics, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is MQTTnet.Exceptions.MqttCommunicationException or TimeoutException or OperationCanceledException)
            {
                return $"cannot reach the controller's broker {endpoint.Host}:{endpoint.Port}: {ex.Message}";
            }

            var echoed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            lock (_echoLock)
            {
                _echo = (masterId, user);
                _echoed = echoed;
            }

            if (!link.Publish(topics.TeleopHolder, TeleopHolderMessage.Format(masterId, user), retain: true, reliable: true))
            {
                return $"cannot publish to the controller's broker {endpoint.Host}:{endpoint.Port} (not connected)";
            }

            try
            {
                await echoed.Task.WaitAsync(EchoTimeout, cancellationToken).ConfigureAwait(false);
                _confirmed = Tuple.Create(masterId, user);
                return null;
            }
            catch (TimeoutException)
            {
                return $"the controller's broker did not confirm it within {EchoTimeout.TotalSeconds:F0} s: the service's broker account "
                    + $"'{endpoint.UserName}' (Controller:User) must be an operator account to announce control";
            }
        }
        finally
        {
            _gate.Release();
        }
    }

    private async Task<MqttConnection> LinkAsync(MqttEndpoint endpoint, MqttTopics topics, CancellationToken cancellationToken)
    {
        if (_link is { IsConnected: true } connected)
        {
            return connected;
        }

        if (_link is not null)
        {
            await _link.DisposeAsync().ConfigureAwait(false);
            _link = null;
        }

        // After a reconnect (the broker restarted: a fresh broker knows no holder and keeps no retained message), the
        // last confirmed holder is announced again, so a former holder's token is not admitted by the new broker.
        MqttConnection? self = null;
        var link = new MqttConnection(new MqttConnectionOptions
        {
            Endpoint = endpoint,
            Subscriptions = [new MqttTopicFilter { Topic = topics.TeleopHolder, QualityOfServiceLevel = MqttQualityOfServiceLevel.AtLeastOnce }],
            ReconnectDelay = TimeSpan.FromSeconds(2),
            OnMessage = OnHolderMessage,
            OnConnected = () =>
            {
                if (_confirmed is { } last && self is not null)
                {
                    _ = Task.Run(() => self.Publish(topics.TeleopHolder, TeleopHolderMessage.Format(last.Item1, last.Item2), retain: true, reliable: true));
                }
            },
        });
        self = link;
        try
        {
            await link.ConnectAsync(cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            await link.DisposeAsync().ConfigureAwait(false);
            throw;
        }

        _link = link;
        return link;
    }

    private void OnHolderMessage(string topic, ReadOnlySpan<byte> payload)
    {
        if (!TeleopHolderMessage.TryParse(new ReadOnlySequence<byte>(payload.ToArray()), out string master, out string? user))
        {
            return;
        }

        lock (_echoLock)
        {
            if (_echo is { } expected && expected.Master == master && expected.User == user)
            {
                _echoed?.TrySetResult();
            }
        }
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        if (_link is not null)
        {
            await _link.DisposeAsync().ConfigureAwait(false);
        }

        _gate.Dispose();
    }
}
