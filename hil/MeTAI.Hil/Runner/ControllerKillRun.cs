using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using MeTAI.Core.Geometry;
using MeTAI.Core.IO;
using MeTAI.Robotics.Control;
using MeTAI.Robotics.Safety;
using MeTAI.Robotics.Teleoperation;
using MeTAI.Robotics.Transport;
using MeTAI.Simulation;
using MeTAI.Simulation.Devices;
using MeTAI.Simulation.Haptics;
using MeTAI.Simulation.Serial;

namespace MeTAI.Hil.Runner;

/// <summary>
/// The process kill test: the real controller runs as its own OS process (<c>metai control</c>, its embedded broker,
/// shipped defaults) against a servo chain twin with the watchdog power relay board on a pty, driven by the haptic master
/// twin; mid-motion the harness kills it with SIGKILL (no handler, no torque-off write, no goodbye). The relay board twin
/// records the last feed it heard and when its contacts opened; the servo twins show whether anything moved after. The
/// controller process is always reaped, whatever happens.
/// </summary>
public static partial class ControllerKillRun
{
    /// <summary>Runs it once; throws a <see cref="TimeoutException"/> when the arm could not be brought to motion.</summary>
    public static async Task<ControllerKillResult> RunAsync(ControllerKillOptions options, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        string dir = Path.Combine(Path.GetTempPath(), "metai-kill-" + Guid.NewGuid().ToString("N")[..12]);
        Directory.CreateDirectory(dir);
        try
        {
            return await RunInAsync(dir, options, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            TryDelete(dir);
        }
    }

    // One run with its files (accounts, audit log) in dir.
    private static async Task<ControllerKillResult> RunInAsync(string dir, ControllerKillOptions options, CancellationToken cancellationToken)
    {
        IReadOnlyList<RigUser> users = RigUser.Generate();
        string usersPath = Path.Combine(dir, "users.json");
        AtomicFile.WriteAllText(usersPath, UsersJson(users));
        using ServoChainTwin chain = SimulatedRig.StartServoTwin(options.Robot, new ServoSettings { EncoderNoiseCounts = 0 }, options.Seed,
            options.RealtimeTwins ? SimulatedRig.ServoTwinPriority : null);
        ProcessStartInfo start = options.StartController(
            ["control", "--robot", options.RobotPath, "--serial", chain.SlavePath, "--port", "0", "--users", usersPath, "--audit", Path.Combine(dir, "audit.jsonl")]);
        start.RedirectStandardOutput = true;
        start.RedirectStandardError = true;
        start.UseShellExecute = false;
        var output = new StringBuilder();
        using Process controller = Process.Start(start) ?? throw new InvalidOperationException("the controller process did not start: " + start.FileName);
        HapticMasterTwin? master = null;
        OperatorConsoleClient? console = null;
        ControllerStateMonitor? monitor = null;
        EStopButtonTwin? eStop = null;
        try
        {
            controller.OutputDataReceived += (_, e) => Append(output, e.Data);
            controller.ErrorDataReceived += (_, e) => Append(output, e.Data);
            controller.BeginOutputReadLine();
            controller.BeginErrorReadLine();
            int port = await BrokerPortAsync(controller, output, cancellationToken).ConfigureAwait(false);
            MqttEndpoint Endpoint(string user) => new() { Host = "127.0.0.1", Port = port, UserName = user, Password = users.First(u => u.Name == user).Password };
            Pose home = SimulatedRig.MasterHomeFor(options.Robot, new TeleopOptions());
            master = new HapticMasterTwin(new HapticMasterOptions
            {
                Broker = Endpoint("master1"),
                Robot = options.Robot.Name,
                InitialPose = home,
                // As the campaign's rigs: a 200 µs spin before each of 1000 poses a second costs a fifth of a core.
                SpinMarginUs = 50,
                RealtimePriority = options.RealtimeTwins ? SimulatedRig.MasterTwinPriority : null,
            });
            console = new OperatorConsoleClient(Endpoint("operator"), options.Robot.Name);
            monitor = new ControllerStateMonitor(Endpoint("observer"), options.Robot.Name);
            // The controller refuses power-up until its e-stop device heartbeats (issue 19): the button, released.
            eStop = new EStopButtonTwin(Endpoint("estop"), options.Robot.Name);
            await eStop.StartAsync(cancellationToken).ConfigureAwait(false);
            await master.StartAsync(cancellationToken).ConfigureAwait(false);
            await console.StartAsync(cancellationToken).ConfigureAwait(false);
            await monitor.StartAsync(cancellationToken).ConfigureAwait(false);
            var failures = new List<string>();
            int attempts = await MoveAsync(options, chain, master, console, monitor, home, failures, cancellationToken).ConfigureAwait(false);
            ControllerKillResult result = await KillAndWatchAsync(options, chain, controller, attempts, output, cancellationToken).ConfigureAwait(false);
            return result with { SetupFailures = failures };
        }
        finally
        {
            foreach (IAsyncDisposable? client in new IAsyncDisposable?[] { monitor, console, master, eStop })
            {
                if (client is not null)
                {
                    await client.DisposeAsync().ConfigureAwait(false);
                }
            }

            Reap(controller);
        }
    }

    // Enable → Home → StartTeleop over MQTT, then the master's circle until the arm has moved for MotionBeforeKillS
    // while Following; recovers and tries again when load tripped an interlock on the way (each such stop goes to
    // failures). Returns the attempts used.
    private static async Task<int> MoveAsync(ControllerKillOptions options, ServoChainTwin chain, HapticMasterTwin master, OperatorConsoleClient console,
        ControllerStateMonitor monitor, Pose home, List<string> failures, CancellationToken cancellationToken)
    {
        await SimulatedRig.WaitUntilAsync(() => master.IsConnected && console.IsConnected && monitor.State is not null, TimeSpan.FromSeconds(20),
            "the master, the operator console and the state monitor connected to the controller's broker", cancellationToken).ConfigureAwait(false);
        for (int attempt = 1; ; attempt++)
        {
            master.SetPose(home);
            try
            {
                await CommandAsync(console, monitor, ControllerCommandKind.Enable, SafetyState.Enabled, TimeSpan.FromSeconds(5), cancellationToken).ConfigureAwait(false);
                await CommandAsync(console, monitor, ControllerCommandKind.Home, SafetyState.Ready, TimeSpan.FromSeconds(20), cancellationToken).ConfigureAwait(false);
                await CommandAsync(console, monitor, ControllerCommandKind.StartTeleop, SafetyState.Following, TimeSpan.FromSeconds(5), cancellationToken).ConfigureAwait(false);
                master.Play(MasterMotion.Circle(0.02, 2.0), home);
                chain.Recording = true;
                await Task.Delay(TimeSpan.FromSeconds(options.MotionBeforeKillS), cancellationToken).ConfigureAwait(false);
                if (monitor.State == SafetyState.Following && chain.Relay!.PowerOn)
                {
                    return attempt;
                }

                throw new TimeoutException($"the arm stopped while moving ({monitor.State})");
            }
            catch (TimeoutException e) when (attempt < options.Attempts)
            {
                failures.Add($"attempt {attempt}: {e.Message}");
                chain.Recording = false;
                _ = chain.DrainEvents();
                await RecoverAsync(console, monitor, cancellationToken).ConfigureAwait(false);
            }
            catch (TimeoutException e)
            {
                // The last attempt: say what stopped each of them, most frequent first.
                failures.Add($"attempt {attempt}: {e.Message}");
                IEnumerable<string> why = failures.Select(f => f[(f.IndexOf(':', StringComparison.Ordinal) + 2)..])
                    .GroupBy(m => m).OrderByDescending(g => g.Count()).Select(g => $"{g.Count()} × {g.Key}");
                throw new TimeoutException($"the arm did not reach motion in {attempt} attempts: " + string.Join("; ", why), e);
            }
        }
    }

    private static async Task CommandAsync(OperatorConsoleClient console, ControllerStateMonitor monitor, ControllerCommandKind kind, SafetyState expected,
        TimeSpan timeout, CancellationToken cancellationToken)
    {
        console.Send(kind);
        var sw = Stopwatch.StartNew();
        while (monitor.State != expected)
        {
            if (monitor.State is SafetyState.Fault or SafetyState.EStop || sw.Elapsed > timeout)
            {
                throw new TimeoutException($"after {kind} the controller is in {monitor.State}, not {expected} (interlocks {monitor.Interlocks})");
            }

            await Task.Delay(5, cancellationToken).ConfigureAwait(false);
        }
    }

    private static async Task RecoverAsync(OperatorConsoleClient console, ControllerStateMonitor monitor, CancellationToken cancellationToken)
    {
        for (int i = 0; i < 5 && monitor.State != SafetyState.Disabled; i++)
        {
            console.Send(monitor.State is SafetyState.Fault or SafetyState.EStop ? ControllerCommandKind.Reset : ControllerCommandKind.Disable, acknowledge: true);
            var sw = Stopwatch.StartNew();
            while (monitor.State != SafetyState.Disabled && sw.ElapsedMilliseconds < 600)
            {
                await Task.Delay(5, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    // SIGKILL mid-motion, then the relay's and the servos' account of what followed.
    private static async Task<ControllerKillResult> KillAndWatchAsync(ControllerKillOptions options, ServoChainTwin chain, Process controller, int attempts,
        StringBuilder output, CancellationToken cancellationToken)
    {
        PowerRelayTwin relay = chain.Relay!;
        double[] before = Positions(chain);
        long beforeTicks = Stopwatch.GetTimestamp();
        await Task.Delay(20, cancellationToken).ConfigureAwait(false);
        double[] atKill = Positions(chain);
        long killTicks = Stopwatch.GetTimestamp();
        // Process.Kill on Linux is kill(pid, SIGKILL): the process gets no chance to write torque off or close anything.
        controller.Kill();
        double speedRadS = MaxDelta(before, atKill) / options.Robot.Servo.CountsPerRad / ((killTicks - beforeTicks) / (double)Stopwatch.Frequency);
        if (!controller.WaitForExit(10_000))
        {
            throw new TimeoutException("the controller process did not die within 10 s of SIGKILL");
        }

        await SimulatedRig.WaitUntilAsync(() => !relay.PowerOn, TimeSpan.FromSeconds(5), "servo power off after the kill", cancellationToken).ConfigureAwait(false);
        RelayTrip trip = relay.LastTrip ?? throw new InvalidOperationException("servo power is off but the relay board recorded no trip");
        long feedsAtOff = relay.Feeds;
        double[] atOff = Positions(chain);
        await Task.Delay(TimeSpan.FromSeconds(options.StillWindowS), cancellationToken).ConfigureAwait(false);
        double[] after = Positions(chain);
        IReadOnlyList<BusEvent> events = chain.DrainEvents();
        long windowTicks = Stopwatch.Frequency / 10;
        double Ms(long ticks) => ticks * 1e3 / Stopwatch.Frequency;
        controller.WaitForExit();
        return new ControllerKillResult(
            controller.Id,
            controller.ExitCode,
            attempts,
            speedRadS,
            events.Count(e => e.Kind == BusEventKind.GoalWrite && e.Ticks <= killTicks && e.Ticks > killTicks - windowTicks),
            trip.Cause,
            trip.FeedToPowerOffMs,
            Ms(trip.PowerOffTicks - killTicks),
            Ms(trip.LastFeedTicks - killTicks),
            trip.NoticedLateMs,
            options.StatedRelayOffMs,
            relay.FeedTimeoutMs,
            relay.Feeds - feedsAtOff,
            events.Count(e => e.Kind == BusEventKind.GoalWrite && e.SentAfterTicks >= trip.PowerOffTicks),
            chain.Servos.Count(s => s.TorqueEnabled),
            MaxDelta(atOff, after),
            Read(output));
    }

    private static double[] Positions(ServoChainTwin chain) => [.. chain.Servos.Select(s => s.TruePositionCounts)];

    private static double MaxDelta(double[] a, double[] b)
    {
        double max = 0;
        for (int i = 0; i < a.Length; i++)
        {
            max = Math.Max(max, Math.Abs(b[i] - a[i]));
        }

        return max;
    }

    // The embedded broker's port, from the controller's start-up line (it was started with --port 0).
    private static async Task<int> BrokerPortAsync(Process controller, StringBuilder output, CancellationToken cancellationToken)
    {
        var sw = Stopwatch.StartNew();
        while (true)
        {
            Match m = BrokerLine().Match(Read(output));
            if (m.Success)
            {
                return int.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture);
            }

            if (controller.HasExited || sw.Elapsed > TimeSpan.FromSeconds(60))
            {
                throw new TimeoutException($"the controller process did not come up (exited: {controller.HasExited}): {Read(output)}");
            }

            await Task.Delay(20, cancellationToken).ConfigureAwait(false);
        }
    }

    [GeneratedRegex(@"broker mqtt://127\.0\.0\.1:(\d+),")]
    private static partial Regex BrokerLine();

    // Accounts for `control --users`: every rig user but the controller, whose account `control` makes for itself.
    private static string UsersJson(IReadOnlyList<RigUser> users)
    {
        using var stream = new MemoryStream();
        using (var w = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true }))
        {
            w.WriteStartArray();
            foreach (RigUser u in users.Where(u => u.Role != MqttRole.Controller))
            {
                w.WriteStartObject();
                w.WriteString("name", u.Name);
                w.WriteString("role", u.Role.ToString());
                w.WriteString("passwordHash", MqttUser.HashPassword(u.Password));
                w.WriteEndObject();
            }

            w.WriteEndArray();
        }

        return Encoding.UTF8.GetString(stream.ToArray());
    }

    private static void Reap(Process controller)
    {
        try
        {
            if (!controller.HasExited)
            {
                controller.Kill();
            }

            controller.WaitForExit(10_000);
        }
        catch (InvalidOperationException)
        {
            // Never started, or already reaped.
        }
    }

    private static void TryDelete(string dir)
    {
        try
        {
            Directory.Delete(dir, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    private static void Append(StringBuilder sb, string? line)
    {
        if (line is not null)
        {
            lock (sb)
            {
                sb.AppendLine(line);
            }
        }
    }

    private static string Read(StringBuilder sb)
    {
        lock (sb)
        {
            return sb.ToString();
        }
    }
}
