using System.Diagnostics;
using MeTAI.Core.Geometry;
using MeTAI.Robotics.Control;
using MeTAI.Robotics.Kinematics;
using MeTAI.Robotics.Safety;
using MeTAI.Robotics.Transport;
using MeTAI.Service.Hosting;
using MeTAI.Service.Teleop;
using MeTAI.Simulation;
using MeTAI.Simulation.Serial;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using MQTTnet;
using MQTTnet.Protocol;

namespace MeTAI.Benchmarks.Control;

/// <summary>
/// The console's path, end to end: the controller and its pty servo chain (a <see cref="SimulatedRig"/> with its
/// embedded broker admitting console tokens and no master twin), the service's MQTT-over-WebSocket relay in front of
/// it, and a client speaking the console protocol through the relay (MQTT over WebSocket, the 76-byte pose at 200 Hz,
/// the heartbeat at 100 Hz, a short-lived token as password). Each sample: with the arm following and its goals
/// still, the master steps 10 mm along x; the latency is from just before that pose is published to the servo chain
/// twin's receipt of the first goal write that differs from the held goals.
/// </summary>
public static class TeleopBench
{
    private const string Master = "master1";
    private const double StepM = 0.010;

    /// <summary>Runs <paramref name="samples"/> steps.</summary>
    public static async Task<TeleopBenchResult> RunAsync(RobotModel robot, int samples, Action<string>? log = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(robot);
        string dir = Path.Combine(Path.GetTempPath(), "metai-bench-teleop-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(dir);
        try
        {
            string keyPath = Path.Combine(dir, "teleop.key");
            byte[] key = MasterTokenKey.LoadOrCreate(keyPath);
            await using SimulatedRig rig = await SimulatedRig.StartAsync(new SimulatedRigOptions { Robot = robot, ExternalMaster = true, MasterTokenKey = key },
                cancellationToken).ConfigureAwait(false);
            int httpPort = EmbeddedBroker.FreeTcpPort();
            // The service's first start prints its one-time admin password to stdout; stdout is the bench's JSON, so that
            // notice goes to stderr while the service is built and started.
            TextWriter stdout = Console.Out;
            Console.SetOut(Console.Error);
            await using WebApplication service = ServiceHost.Build(
            [
                "--urls", $"http://127.0.0.1:{httpPort}", $"--Service:DataDirectory={Path.Combine(dir, "service")}",
                "--Controller:Mode=mqtt", $"--Controller:Broker=mqtt://127.0.0.1:{rig.BrokerPort}", "--Controller:User=observer",
                $"--Controller:Password={rig.Users.First(u => u.Name == "observer").Password}",
                $"--Controller:TeleopKeyFile={keyPath}", $"--Controller:TeleopMaster={Master}", "--Logging:LogLevel:Default=Warning",
            ]);
            try
            {
                await service.StartAsync(cancellationToken).ConfigureAwait(false);
            }
            finally
            {
                Console.SetOut(stdout);
            }

            log?.Invoke($"controller broker 127.0.0.1:{rig.BrokerPort}, service relay ws://127.0.0.1:{httpPort}/api/teleop/mqtt");

            // The bench's console holds control (the relay admits only the holder's token), as a surgeon's would.
            DateTimeOffset now = DateTimeOffset.UtcNow;
            string token = MasterToken.Issue(key, Master, "bench", now, now.AddMinutes(30));
            if (await service.Services.GetRequiredService<ControlLease>().ChangeAsync(null, null, "bench", null, "take", cancellationToken).ConfigureAwait(false) is { } refused)
            {
                throw new InvalidOperationException("The bench's console could not take control: " + refused);
            }

            using IMqttClient client = new MqttClientFactory().CreateMqttClient();
            await client.ConnectAsync(new MqttClientOptionsBuilder()
                .WithWebSocketServer(o => o.WithUri($"ws://127.0.0.1:{httpPort}/api/teleop/mqtt?master={Master}&token={Uri.EscapeDataString(token)}"))
                .WithClientId(Master).WithCredentials(Master, token).Build(), cancellationToken).ConfigureAwait(false);
            using var console = new ConsoleSender(client, rig.Topics, rig.MasterHome);
            using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            Task sending = Task.Run(() => console.RunAsync(stop.Token), CancellationToken.None);
            try
            {
                await rig.FollowingWithRetriesAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
                var latencies = new List<double>(samples);
                int interruptions = 0;
                rig.Servos.Recording = true;
                for (int i = 0; i < samples; i++)
                {
                    if (rig.Controller.State != SafetyState.Following)
                    {
                        interruptions++;
                        await rig.RecoverAsync(cancellationToken).ConfigureAwait(false);
                        await rig.FollowingWithRetriesAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
                    }

                    int[]? held = await StillGoalsAsync(rig.Servos, cancellationToken).ConfigureAwait(false);
                    if (held is null)
                    {
                        continue;
                    }

                    long t0 = await console.StepAsync(i % 2 == 0 ? StepM : -StepM).ConfigureAwait(false);
                    if (await FirstChangeAsync(rig.Servos, held, t0, cancellationToken).ConfigureAwait(false) is { } ticks)
                    {
                        latencies.Add((ticks - t0) * 1000.0 / Stopwatch.Frequency);
                    }
                }

                latencies.Sort();
                return new TeleopBenchResult
                {
                    Samples = latencies.Count,
                    LatencyMs = new LatencySummary(Percentile(latencies, 0.5), Percentile(latencies, 0.99), latencies.Count == 0 ? 0 : latencies[^1]),
                    PosesSent = console.PosesSent,
                    HeartbeatsSent = console.HeartbeatsSent,
                    Interruptions = interruptions,
                    Transport = "MQTT 3.1.1 over WebSocket through the service's relay (/api/teleop/mqtt) to the embedded broker, console token",
                };
            }
            finally
            {
                await stop.CancelAsync().ConfigureAwait(false);
                await sending.ConfigureAwait(false);
                await client.DisconnectAsync(cancellationToken: CancellationToken.None).ConfigureAwait(false);
            }
        }
        finally
        {
            try
            {
                Directory.Delete(dir, recursive: true);
            }
            catch (IOException)
            {
            }
        }
    }

    // Goals unchanged over 150 ms of goal writes (the filter has settled); null after 3 s without.
    private static async Task<int[]?> StillGoalsAsync(ServoChainTwin servos, CancellationToken ct)
    {
        long window = Stopwatch.Frequency * 150 / 1000;
        var sw = Stopwatch.StartNew();
        int[]? last = null;
        long since = Stopwatch.GetTimestamp();
        while (sw.Elapsed < TimeSpan.FromSeconds(3))
        {
            await Task.Delay(10, ct).ConfigureAwait(false);
            foreach (BusEvent e in servos.DrainEvents())
            {
                if (e.Kind == BusEventKind.GoalWrite && e.GoalCounts is { } g && (last is null || !g.AsSpan().SequenceEqual(last)))
                {
                    last = g;
                    since = e.Ticks;
                }
            }

            if (last is not null && Stopwatch.GetTimestamp() - since > window)
            {
                return last;
            }
        }

        return null;
    }

    private static async Task<long?> FirstChangeAsync(ServoChainTwin servos, int[] held, long t0, CancellationToken ct)
    {
        var sw = Stopwatch.StartNew();
        while (sw.Elapsed < TimeSpan.FromSeconds(1))
        {
            await Task.Delay(2, ct).ConfigureAwait(false);
            foreach (BusEvent e in servos.DrainEvents())
            {
                if (e.Kind == BusEventKind.GoalWrite && e.Ticks > t0 && e.GoalCounts is { } g && !g.AsSpan().SequenceEqual(held))
                {
                    return e.Ticks;
                }
            }
        }

        return null;
    }

    private static double Percentile(List<double> sorted, double p) =>
        sorted.Count == 0 ? 0 : sorted[Math.Min(sorted.Count - 1, (int)Math.Ceiling(p * sorted.Count) - 1)];

    // The console protocol: 76-byte poses every 5 ms, 20-byte heartbeats every 10 ms, operator present, unclutched.
    private sealed class ConsoleSender(IMqttClient client, MqttTopics topics, Pose home) : IDisposable
    {
        private readonly SemaphoreSlim _gate = new(1, 1);
        private readonly byte[] _pose = new byte[MqttPayloads.PoseLength];
        private readonly byte[] _beat = new byte[MqttPayloads.HeartbeatLength];
        private Vec3 _position = home.Position;
        private long _seq;
        private long _beatSeq;

        public long PosesSent { get; private set; }

        public long HeartbeatsSent { get; private set; }

        public async Task RunAsync(CancellationToken ct)
        {
            using var timer = new PeriodicTimer(TimeSpan.FromMilliseconds(5));
            long n = 0;
            try
            {
                while (await timer.WaitForNextTickAsync(ct).ConfigureAwait(false))
                {
                    await PublishPoseAsync().ConfigureAwait(false);
                    if (n++ % 2 == 0)
                    {
                        MqttPayloads.WriteHeartbeat(_beat, ++_beatSeq, 0);
                        await client.PublishBinaryAsync(topics.MasterHeartbeat(Master), _beat, MqttQualityOfServiceLevel.AtMostOnce, cancellationToken: ct).ConfigureAwait(false);
                        HeartbeatsSent++;
                    }
                }
            }
            catch (OperationCanceledException)
            {
            }
        }

        // Moves the master and publishes at once; returns the Stopwatch ticks just before the publish.
        public async Task<long> StepAsync(double dxM)
        {
            await _gate.WaitAsync().ConfigureAwait(false);
            try
            {
                _position += new Vec3(dxM, 0, 0);
                long t0 = Stopwatch.GetTimestamp();
                await PublishLockedAsync().ConfigureAwait(false);
                return t0;
            }
            finally
            {
                _gate.Release();
            }
        }

        private async Task PublishPoseAsync()
        {
            await _gate.WaitAsync().ConfigureAwait(false);
            try
            {
                await PublishLockedAsync().ConfigureAwait(false);
            }
            finally
            {
                _gate.Release();
            }
        }

        public void Dispose() => _gate.Dispose();

        private async Task PublishLockedAsync()
        {
            MqttPayloads.WritePose(_pose, new MasterSample(new Pose(_position, home.Orientation), false, true, ++_seq, 0));
            await client.PublishBinaryAsync(topics.MasterPose(Master), _pose, MqttQualityOfServiceLevel.AtMostOnce).ConfigureAwait(false);
            PosesSent++;
        }
    }
}
