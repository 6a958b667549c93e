using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text;
using MeTAI.Robotics.Transport;
using MQTTnet.Packets;
using MQTTnet.Protocol;

namespace MeTAI.Robotics.Tests.Transport;

/// <summary>The one MQTT connection type, against the embedded broker: subscribe, reconnect, re-subscribe, back-off, disposal.</summary>
public class MqttConnectionTests
{
    private static readonly MqttTopics Topics = new("arm");

    private sealed class Broker : IAsyncDisposable
    {
        public Broker(int port = 0)
        {
            Server = new EmbeddedBroker(new EmbeddedBrokerOptions
            {
                Robot = "arm",
                Users = [MqttUser.Create("controller", MqttRole.Controller, "c-pw"), MqttUser.Create("observer", MqttRole.Observer, "o-pw")],
                Port = port == 0 ? EmbeddedBroker.FreeTcpPort() : port,
            });
        }

        public EmbeddedBroker Server { get; }

        public MqttEndpoint Endpoint(string user, string? password = null) => Local(Server.Port, user, password);

        public ValueTask DisposeAsync() => Server.DisposeAsync();
    }

    private static MqttEndpoint Local(int port, string user, string? password = null) =>
        new() { Host = "127.0.0.1", Port = port, UserName = user, Password = password ?? user[0] + "-pw" };

    private static MqttConnection Observer(MqttEndpoint endpoint, ConcurrentQueue<string> received, Action? connected = null, Action<Exception>? failed = null,
        TimeSpan? delay = null, TimeSpan? maxDelay = null) => new(new MqttConnectionOptions
        {
            Endpoint = endpoint,
            Subscriptions = [new MqttTopicFilter { Topic = Topics.State, QualityOfServiceLevel = MqttQualityOfServiceLevel.AtLeastOnce }],
            ReconnectDelay = delay ?? TimeSpan.FromMilliseconds(50),
            MaxReconnectDelay = maxDelay,
            OnMessage = (topic, payload) => received.Enqueue(topic + " " + Encoding.UTF8.GetString(payload)),
            OnConnected = connected,
            OnConnectFailed = failed,
        });

    private static MqttConnection Publisher(MqttEndpoint endpoint) => new(new MqttConnectionOptions { Endpoint = endpoint, ReconnectDelay = TimeSpan.FromMilliseconds(50) });

    private static async Task Until(Func<bool> condition, string what, double seconds = 10)
    {
        var sw = Stopwatch.StartNew();
        while (!condition())
        {
            Assert.True(sw.Elapsed.TotalSeconds < seconds, "timed out waiting for " + what);
            await Task.Delay(5);
        }
    }

    // Publishes until the observer has a message with this payload (a subscription completes on the broker a little
    // after the client's acknowledgement is in hand).
    private static async Task DeliveredAsync(MqttConnection publisher, ConcurrentQueue<string> received, string payload)
    {
        await Until(() =>
        {
            publisher.Publish(Topics.State, Encoding.UTF8.GetBytes(payload), reliable: true);
            return received.Contains(Topics.State + " " + payload);
        }, "'" + payload + "' delivered");
    }

    // A running broker with an observer (subscribed to the state) and a controller (publishing it) connected to it.
    private sealed class Connected : IAsyncDisposable
    {
        private int _connects;

        private Connected()
        {
            Observer = MqttConnectionTests.Observer(Broker.Endpoint("observer"), Received, () => Interlocked.Increment(ref _connects));
            Controller = Publisher(Broker.Endpoint("controller"));
        }

        public Broker Broker { get; } = new();

        public ConcurrentQueue<string> Received { get; } = new();

        public MqttConnection Observer { get; }

        public MqttConnection Controller { get; }

        public int Connects => Volatile.Read(ref _connects);

        public static async Task<Connected> StartAsync()
        {
            var c = new Connected();
            await c.Broker.Server.StartAsync();
            await c.Observer.ConnectAsync();
            await c.Controller.ConnectAsync();
            return c;
        }

        public async ValueTask DisposeAsync()
        {
            await Observer.DisposeAsync();
            await Controller.DisposeAsync();
            await Broker.DisposeAsync();
        }
    }

    [Fact]
    public async Task ConnectAsync_SubscribesAndReceives()
    {
        await using Connected c = await Connected.StartAsync();
        Assert.True(c.Observer.IsConnected);
        Assert.Equal(1, c.Connects);
        await DeliveredAsync(c.Controller, c.Received, "{\"state\":\"Ready\"}");
    }

    [Fact]
    public async Task ConnectAsync_WrongPassword_Throws_AndDoesNotReconnect()
    {
        await using var broker = new Broker();
        await broker.Server.StartAsync();
        int failures = 0;
        await using MqttConnection observer = Observer(broker.Endpoint("observer", "wrong"), new ConcurrentQueue<string>(), failed: _ => Interlocked.Increment(ref failures));
        await Assert.ThrowsAnyAsync<Exception>(() => observer.ConnectAsync());
        await Task.Delay(300);
        Assert.False(observer.IsConnected);
        Assert.Equal(0, failures);
    }

    [Fact]
    public async Task ConnectAsync_WrongPassword_NoSubscriptions_ThrowsNamingTheRefusal()
    {
        // A publisher subscribes to nothing, so nothing after the CONNACK would notice the refusal: MQTTnet 5 hands it
        // back as a result code, and the connection must throw rather than report success while not connected.
        await using var broker = new Broker();
        await broker.Server.StartAsync();
        await using MqttConnection publisher = Publisher(broker.Endpoint("controller", "wrong"));
        var refused = await Assert.ThrowsAsync<MQTTnet.Exceptions.MqttCommunicationException>(() => publisher.ConnectAsync());
        Assert.Contains("refused 'controller'", refused.Message, StringComparison.Ordinal);
        Assert.False(publisher.IsConnected);
    }

    [Fact]
    public async Task BrokerRestart_ReconnectsAndSubscribesAgain()
    {
        await using Connected c = await Connected.StartAsync();
        await DeliveredAsync(c.Controller, c.Received, "before");

        await c.Broker.Server.StopAsync();
        await Until(() => !c.Observer.IsConnected && !c.Controller.IsConnected, "both disconnected");
        Assert.False(c.Controller.Publish(Topics.State, "lost"u8.ToArray()));
        await Task.Delay(200);
        await c.Broker.Server.StartAsync();

        // IsConnected turns true before the re-subscription (and so OnConnected) is done: wait for both.
        await Until(() => c.Observer.IsConnected && c.Controller.IsConnected && c.Connects >= 2, "both reconnected, the observer subscribed again");

        // A fresh broker knows no subscription: the message arrives only because the connection subscribed again.
        await DeliveredAsync(c.Controller, c.Received, "after");
    }

    [Fact]
    public async Task KeepConnected_BrokerNotYetUp_TriesAtOnceThenWithBackOff_AndConnectsWhenItStarts()
    {
        int port = EmbeddedBroker.FreeTcpPort();
        await using var broker = new Broker(port);
        var failures = new ConcurrentQueue<long>();
        var received = new ConcurrentQueue<string>();
        await using MqttConnection observer = Observer(Local(port, "observer"), received, failed: _ => failures.Enqueue(Stopwatch.GetTimestamp()), delay: TimeSpan.FromMilliseconds(50), maxDelay: TimeSpan.FromMilliseconds(400));
        observer.KeepConnected();
        await Until(() => failures.Count >= 5, "five refused tries");

        // The waits before the 2nd … 5th try: 50, 100, 200, 400 ms (at least; a loaded machine only adds to them).
        long[] at = [.. failures.Take(5)];
        double[] expectedMs = [50, 100, 200, 400];
        for (int i = 0; i < expectedMs.Length; i++)
        {
            double gapMs = (at[i + 1] - at[i]) * 1000.0 / Stopwatch.Frequency;
            Assert.True(gapMs >= expectedMs[i] - 5, $"try {i + 2} came {gapMs:F0} ms after the one before, expected ≥ {expectedMs[i]} ms");
        }

        await broker.Server.StartAsync();
        await Until(() => observer.IsConnected, "connected once the broker runs");
        await using MqttConnection controller = Publisher(Local(port, "controller"));
        await controller.ConnectAsync();
        await DeliveredAsync(controller, received, "hello");
    }

    [Fact]
    public async Task Dispose_StopsReconnecting()
    {
        int port = EmbeddedBroker.FreeTcpPort();
        int failures = 0;
        MqttConnection observer = Observer(Local(port, "observer"), new ConcurrentQueue<string>(), failed: _ => Interlocked.Increment(ref failures), delay: TimeSpan.FromMilliseconds(20));
        observer.KeepConnected();
        await Until(() => Volatile.Read(ref failures) >= 2, "refused tries");
        Assert.False(observer.Publish(Topics.State, "x"u8.ToArray()));
        await observer.DisposeAsync();
        await Task.Delay(100);
        int after = Volatile.Read(ref failures);
        await Task.Delay(300);
        Assert.Equal(after, Volatile.Read(ref failures));
    }
}
